//go:build !purego

#include "textflag.h"

// func anchorBlocksAVX2(s string, a, b byte, d, n int, masks *uint64) (q int)
//
// foldPairBlocksAVX2 that also stops at a backslash at s[q]: two blocks
// of 32 a round while there are two below n, then one. With masks, the
// newlines of every block it loads are noted there while the bytes are
// in registers, bit i of word k for s[64k+i], without a branch (one
// taken at each newline, on bytes still on their way from memory, cost
// more than the reader's second walk it saved).
TEXT ·anchorBlocksAVX2(SB), NOSPLIT, $0-56
	MOVQ    s_base+0(FP), SI
	MOVQ    d+24(FP), DX
	MOVQ    n+32(FP), R13
	MOVQ    masks+40(FP), R12
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
	TESTQ     R12, R12
	JZ        anchors2
	VPCMPEQB  Y8, Y4, Y13
	VPCMPEQB  Y8, Y10, Y14
	VPMOVMSKB Y13, R9
	VPMOVMSKB Y14, R10
	SHLQ      $32, R10
	ORQ       R10, R9
	MOVQ      BX, R10
	SHRQ      $3, R10
	MOVQ      R9, (R12)(R10*1)

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
	TESTQ     R12, R12
	JZ        anchors1
	VPCMPEQB  Y8, Y4, Y13
	VPMOVMSKB Y13, R9
	MOVQ      BX, R10
	SHRQ      $3, R10
	MOVQ      R9, (R12)(R10*1) // BX is a multiple of 64: the word's high half is 0

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
	MOVQ       AX, q+48(FP)
	VZEROUPPER
	RET

rest:
	NOTQ       BX
	MOVQ       BX, q+48(FP)
	VZEROUPPER
	RET
