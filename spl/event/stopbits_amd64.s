//go:build !purego

#include "textflag.h"

// func stopBitsSSE2(s string, w []uint64)
// len(s) >= 16: the last, partial block is tested as the 16 bytes that
// end s.
TEXT ·stopBitsSSE2(SB), NOSPLIT, $0-40
	MOVQ s_base+0(FP), SI
	MOVQ s_len+8(FP), CX
	MOVQ w_base+16(FP), DI
	MOVQ $0x2222222222222222, AX // '"'
	MOVQ AX, X1
	PUNPCKLQDQ X1, X1
	MOVQ $0x5c5c5c5c5c5c5c5c, AX // '\\'
	MOVQ AX, X2
	PUNPCKLQDQ X2, X2
	MOVQ $0x2020202020202020, AX // below ' ' as signed bytes: control characters and bytes beyond ASCII
	MOVQ AX, X3
	PUNPCKLQDQ X3, X3
	SHRQ $4, CX

loop:
	MOVOU   (SI), X0
	MOVO    X0, X4
	PCMPEQB X1, X4
	MOVO    X0, X5
	PCMPEQB X2, X5
	MOVO    X3, X6
	PCMPGTB X0, X6
	POR     X5, X4
	POR     X6, X4
	PMOVMSKB X4, AX
	MOVW    AX, (DI)
	ADDQ    $16, SI
	ADDQ    $2, DI
	DECQ    CX
	JNZ     loop

	MOVQ s_len+8(FP), BX
	ANDQ $15, BX
	JZ   done
	MOVOU   -16(SI)(BX*1), X0
	MOVO    X0, X4
	PCMPEQB X1, X4
	MOVO    X0, X5
	PCMPEQB X2, X5
	MOVO    X3, X6
	PCMPGTB X0, X6
	POR     X5, X4
	POR     X6, X4
	PMOVMSKB X4, AX
	MOVQ    $16, CX
	SUBQ    BX, CX
	SHRL    CX, AX // the last BX bits are the bytes not done
	MOVW    AX, (DI)

done:
	RET

// func stopBitsAVX2(s string, w []uint64)
// len(s) >= 32: the last, partial block is tested as the 32 bytes that
// end s.
TEXT ·stopBitsAVX2(SB), NOSPLIT, $0-40
	MOVQ s_base+0(FP), SI
	MOVQ s_len+8(FP), CX
	MOVQ w_base+16(FP), DI
	MOVQ $0x2222222222222222, AX // '"'
	MOVQ AX, X1
	VPBROADCASTQ X1, Y1
	MOVQ $0x5c5c5c5c5c5c5c5c, AX // '\\'
	MOVQ AX, X2
	VPBROADCASTQ X2, Y2
	MOVQ $0x2020202020202020, AX // below ' ' as signed bytes
	MOVQ AX, X3
	VPBROADCASTQ X3, Y3
	SHRQ $5, CX

avxloop:
	VMOVDQU   (SI), Y0
	VPCMPEQB  Y0, Y1, Y4
	VPCMPEQB  Y0, Y2, Y5
	VPCMPGTB  Y0, Y3, Y6
	VPOR      Y4, Y5, Y4
	VPOR      Y4, Y6, Y4
	VPMOVMSKB Y4, AX
	MOVL      AX, (DI)
	ADDQ      $32, SI
	ADDQ      $4, DI
	DECQ      CX
	JNZ       avxloop

	MOVQ s_len+8(FP), BX
	ANDQ $31, BX
	JZ   avxdone
	VMOVDQU   -32(SI)(BX*1), Y0
	VPCMPEQB  Y0, Y1, Y4
	VPCMPEQB  Y0, Y2, Y5
	VPCMPGTB  Y0, Y3, Y6
	VPOR      Y4, Y5, Y4
	VPOR      Y4, Y6, Y4
	VPMOVMSKB Y4, AX
	MOVQ      $32, CX
	SUBQ      BX, CX
	SHRL      CX, AX // the last BX bits are the bytes not done
	MOVL      AX, (DI)

avxdone:
	VZEROUPPER
	RET
