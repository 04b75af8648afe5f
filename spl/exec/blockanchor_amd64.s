//go:build !purego

#include "textflag.h"

// func anchorBlocksAVX2(s string, a, b byte, d, n int, nl *lineList, base int) (q int)
//
// foldPairBlocksAVX2 that also stops at a backslash at s[q]: two blocks
// of 32 a round while there are two below n, then one. With nl, the
// newlines of every block it loads, s[0] being text position base, are
// entered in nl (at, n, last: see lineList) while the bytes are in
// registers: the reader then needs no second walk to find each line's
// end.
TEXT ·anchorBlocksAVX2(SB), NOSPLIT, $0-64
	MOVQ    s_base+0(FP), SI
	MOVQ    d+24(FP), DX
	MOVQ    n+32(FP), R13
	MOVQ    nl+40(FP), R12
	MOVQ    base+48(FP), R11
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
	MOVQ    $0x0a0a0a0a0a0a0a0a, AX // '\n'
	MOVQ    AX, X8
	VPBROADCASTQ X8, Y8
	XORQ    BX, BX

loop2:
	LEAQ      64(BX), R8
	CMPQ      R8, R13
	JGT       loop
	VMOVDQU   (SI)(BX*1), Y4
	VMOVDQU   32(SI)(BX*1), Y10
	VPCMPEQB  Y8, Y4, Y13
	VPCMPEQB  Y8, Y10, Y14
	VPOR      Y13, Y14, Y15
	VPTEST    Y15, Y15
	JNZ       nl2

anchors2:
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

nl2:
	TESTQ     R12, R12
	JZ        anchors2
	VPMOVMSKB Y13, R9
	TESTL     R9, R9
	JZ        nl2b
nl2a:
	BSFQ      R9, AX
	LEAQ      0(R11)(BX*1), CX
	ADDQ      AX, CX
	CMPQ      CX, 16(R12)
	JLE       nl2anext
	MOVQ      CX, 16(R12)
	MOVQ      8(R12), AX
	MOVQ      0(R12), R10
	MOVL      CX, (R10)(AX*4)
	INCQ      8(R12)
nl2anext:
	LEAQ      -1(R9), AX
	ANDQ      AX, R9
	JNZ       nl2a

nl2b:
	VPMOVMSKB Y14, R9
	TESTL     R9, R9
	JZ        anchors2
nl2c:
	BSFQ      R9, AX
	LEAQ      32(R11)(BX*1), CX
	ADDQ      AX, CX
	CMPQ      CX, 16(R12)
	JLE       nl2cnext
	MOVQ      CX, 16(R12)
	MOVQ      8(R12), AX
	MOVQ      0(R12), R10
	MOVL      CX, (R10)(AX*4)
	INCQ      8(R12)
nl2cnext:
	LEAQ      -1(R9), AX
	ANDQ      AX, R9
	JNZ       nl2c
	JMP       anchors2

found2:
	VPMOVMSKB Y4, AX
	TESTL     AX, AX
	JNZ       found
	VPMOVMSKB Y10, AX
	ADDQ      $32, BX
	JMP       found

loop:
	LEAQ      32(BX), R8
	CMPQ      R8, R13
	JGT       rest
	VMOVDQU   (SI)(BX*1), Y4
	VPCMPEQB  Y8, Y4, Y13
	VPMOVMSKB Y13, R9
	TESTQ     R12, R12
	JZ        anchors1
	TESTL     R9, R9
	JZ        anchors1
nl1:
	BSFQ      R9, AX
	LEAQ      0(R11)(BX*1), CX
	ADDQ      AX, CX
	CMPQ      CX, 16(R12)
	JLE       nl1next
	MOVQ      CX, 16(R12)
	MOVQ      8(R12), AX
	MOVQ      0(R12), R10
	MOVL      CX, (R10)(AX*4)
	INCQ      8(R12)
nl1next:
	LEAQ      -1(R9), AX
	ANDQ      AX, R9
	JNZ       nl1

anchors1:
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
	MOVQ       AX, q+56(FP)
	VZEROUPPER
	RET

rest:
	NOTQ       BX
	MOVQ       BX, q+56(FP)
	VZEROUPPER
	RET
