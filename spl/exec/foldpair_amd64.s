//go:build !purego

#include "textflag.h"

// func foldPairBlocksAVX2(s string, a, b byte, d, n int) (q int, esc bool)
TEXT ·foldPairBlocksAVX2(SB), NOSPLIT, $0-49
	MOVQ    s_base+0(FP), SI
	MOVQ    d+24(FP), DX
	MOVQ    n+32(FP), CX
	LEAQ    (SI)(DX*1), DI // the second byte's positions
	MOVBLZX a+16(FP), AX
	MOVQ    AX, X1
	VPBROADCASTB X1, Y1
	MOVBLZX b+17(FP), AX
	MOVQ    AX, X2
	VPBROADCASTB X2, Y2
	MOVQ    $0x2020202020202020, AX
	MOVQ    AX, X3
	VPBROADCASTQ X3, Y3
	MOVQ    $0x5c5c5c5c5c5c5c5c, AX // '\\'
	MOVQ    AX, X7
	VPBROADCASTQ X7, Y7
	VPXOR   Y8, Y8, Y8 // the backslashes seen
	XORQ    BX, BX

loop:
	LEAQ      32(BX), R8
	CMPQ      R8, CX
	JGT       rest
	VMOVDQU   (SI)(BX*1), Y4
	VMOVDQU   (DI)(BX*1), Y5
	VPCMPEQB  Y7, Y4, Y6
	VPCMPEQB  Y7, Y5, Y9
	VPOR      Y6, Y8, Y8
	VPOR      Y9, Y8, Y8
	VPOR      Y3, Y4, Y4
	VPOR      Y3, Y5, Y5
	VPCMPEQB  Y1, Y4, Y4
	VPCMPEQB  Y2, Y5, Y5
	VPAND     Y4, Y5, Y4
	VPMOVMSKB Y4, AX
	TESTL     AX, AX
	JNZ       found
	MOVQ      R8, BX
	JMP       loop

found:
	BSFL       AX, AX
	ADDQ       BX, AX
	MOVQ       AX, q+40(FP)
	MOVB       $0, esc+48(FP)
	VZEROUPPER
	RET

rest:
	NOTQ       BX
	MOVQ       BX, q+40(FP)
	VPMOVMSKB  Y8, AX
	TESTL      AX, AX
	SETNE      esc+48(FP)
	VZEROUPPER
	RET
