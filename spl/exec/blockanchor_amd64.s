//go:build !purego

#include "textflag.h"

// NLSTORE ORs the 32-bit newline mask in R9, of the bytes at s[BX+off:],
// into the bitmap at R12, whose bit p is text position p (s[0] is text
// position R11): the low part into word p/64, the rest into the next.
#define NLSTORE(off) \
	LEAQ off(R11)(BX*1), CX; \
	MOVQ CX, R10; \
	SHRQ $6, R10; \
	MOVQ R9, AX; \
	SHLQ CX, AX; \
	ORQ  AX, (R12)(R10*8); \
	XORQ $63, CX; \
	SHRQ $1, R9; \
	SHRQ CX, R9; \
	ORQ  R9, 8(R12)(R10*8)

// func anchorBlocksAVX2(s string, a, b byte, d, n int, bits *uint64, base int) (q int)
//
// foldPairBlocksAVX2 that also stops at a backslash at s[q]: two blocks
// of 32 a round while there are two below n, then one. With bits, the
// newlines of every block it loads are set there (see NLSTORE), while
// the bytes are in registers: the reader then needs no second walk to
// find each line's end.
TEXT ·anchorBlocksAVX2(SB), NOSPLIT, $0-64
	MOVQ    s_base+0(FP), SI
	MOVQ    d+24(FP), DX
	MOVQ    n+32(FP), R13
	MOVQ    bits+40(FP), R12
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
	NLSTORE(0)
	VPMOVMSKB Y14, R9
	NLSTORE(32)
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
	NLSTORE(0)

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
