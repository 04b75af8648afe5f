//go:build !purego

#include "textflag.h"

// func anchorBlocksAVX2(s string, a, b byte, d, n int) (q int)
//
// foldPairBlocksAVX2 that also stops at a backslash at s[q]: two blocks
// of 32 a round while there are two below n, then one.
TEXT ·anchorBlocksAVX2(SB), NOSPLIT, $0-48
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
	XORQ    BX, BX

loop2:
	LEAQ      64(BX), R8
	CMPQ      R8, CX
	JGT       loop
	VMOVDQU   (SI)(BX*1), Y4
	VMOVDQU   32(SI)(BX*1), Y10
	VMOVDQU   (DI)(BX*1), Y5
	VMOVDQU   32(DI)(BX*1), Y11
	VPCMPEQB  Y7, Y4, Y6
	VPCMPEQB  Y7, Y10, Y9
	VPOR      Y3, Y4, Y4
	VPOR      Y3, Y10, Y10
	VPOR      Y3, Y5, Y5
	VPOR      Y3, Y11, Y11
	VPCMPEQB  Y1, Y4, Y4
	VPCMPEQB  Y1, Y10, Y10
	VPCMPEQB  Y2, Y5, Y5
	VPCMPEQB  Y2, Y11, Y11
	VPAND     Y4, Y5, Y4
	VPAND     Y10, Y11, Y10
	VPOR      Y6, Y4, Y4
	VPOR      Y9, Y10, Y10
	VPOR      Y4, Y10, Y12
	VPTEST    Y12, Y12
	JNZ       found2
	MOVQ      R8, BX
	JMP       loop2

found2:
	VPMOVMSKB Y4, AX
	TESTL     AX, AX
	JNZ       found
	VPMOVMSKB Y10, AX
	ADDQ      $32, BX
	JMP       found

loop:
	LEAQ      32(BX), R8
	CMPQ      R8, CX
	JGT       rest
	VMOVDQU   (SI)(BX*1), Y4
	VMOVDQU   (DI)(BX*1), Y5
	VPCMPEQB  Y7, Y4, Y6
	VPOR      Y3, Y4, Y4
	VPOR      Y3, Y5, Y5
	VPCMPEQB  Y1, Y4, Y4
	VPCMPEQB  Y2, Y5, Y5
	VPAND     Y4, Y5, Y4
	VPOR      Y6, Y4, Y4
	VPMOVMSKB Y4, AX
	TESTL     AX, AX
	JNZ       found
	MOVQ      R8, BX
	JMP       rest

found:
	BSFL       AX, AX
	ADDQ       BX, AX
	MOVQ       AX, q+40(FP)
	VZEROUPPER
	RET

rest:
	NOTQ       BX
	MOVQ       BX, q+40(FP)
	VZEROUPPER
	RET
