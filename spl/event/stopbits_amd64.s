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

// func stopWordsAVX2(s string, w []uint64)
// len(s) >= 64: every word of w (len(s)/64+1 of them), 64 bytes of s a
// word, the last word's bits from the bytes that end s (read as the 64
// bytes that end s), the rest of it set.
TEXT ·stopWordsAVX2(SB), NOSPLIT, $0-40
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
	MOVQ CX, DX
	SHRQ $6, DX

wordloop:
	VMOVDQU   (SI), Y0
	VMOVDQU   32(SI), Y7
	VPCMPEQB  Y0, Y1, Y4
	VPCMPEQB  Y0, Y2, Y5
	VPCMPGTB  Y0, Y3, Y6
	VPCMPEQB  Y7, Y1, Y8
	VPCMPEQB  Y7, Y2, Y9
	VPCMPGTB  Y7, Y3, Y10
	VPOR      Y4, Y5, Y4
	VPOR      Y4, Y6, Y4
	VPOR      Y8, Y9, Y8
	VPOR      Y8, Y10, Y8
	VPMOVMSKB Y4, AX
	VPMOVMSKB Y8, BX
	SHLQ      $32, BX
	ORQ       BX, AX
	MOVQ      AX, (DI)
	ADDQ      $64, SI
	ADDQ      $8, DI
	DECQ      DX
	JNZ       wordloop

	MOVQ CX, BX
	ANDQ $63, BX // the bytes of s in the last word
	MOVQ $-1, AX
	JZ   lastword
	VMOVDQU   -64(SI)(BX*1), Y0
	VMOVDQU   -32(SI)(BX*1), Y7
	VPCMPEQB  Y0, Y1, Y4
	VPCMPEQB  Y0, Y2, Y5
	VPCMPGTB  Y0, Y3, Y6
	VPCMPEQB  Y7, Y1, Y8
	VPCMPEQB  Y7, Y2, Y9
	VPCMPGTB  Y7, Y3, Y10
	VPOR      Y4, Y5, Y4
	VPOR      Y4, Y6, Y4
	VPOR      Y8, Y9, Y8
	VPOR      Y8, Y10, Y8
	VPMOVMSKB Y4, AX
	VPMOVMSKB Y8, DX
	SHLQ      $32, DX
	ORQ       DX, AX
	MOVQ      $64, CX
	SUBQ      BX, CX
	SHRQ      CX, AX // the last BX bytes of s, at the bottom
	MOVQ      $-1, DX
	MOVQ      BX, CX
	SHLQ      CX, DX
	ORQ       DX, AX // past the end: set

lastword:
	MOVQ AX, (DI)
	VZEROUPPER
	RET
