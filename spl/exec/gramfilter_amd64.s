//go:build !purego

#include "textflag.h"

// func gramBlocksAVX2(s string, from, n int, f *gramFilter, masks *[gramFilterBlock / 32]uint32)
//
// The lookups of buckets 0-7 stay in Y0-Y5; those of buckets 8-15 are
// loaded each round (VPSHUFB takes its table from a register only, and
// there are not registers for all twelve). Each of a gram's three bytes
// is loaded on its own (at 0, 1 and 2 from the round's position), so no
// shift carries across rounds: the last round reads two bytes past its
// positions, which the caller guarantees are within s.
TEXT ·gramBlocksAVX2(SB), NOSPLIT, $0-48
	MOVQ s_base+0(FP), SI
	MOVQ from+16(FP), BX
	MOVQ n+24(FP), CX
	MOVQ f+32(FP), DX
	MOVQ masks+40(FP), DI
	ADDQ BX, SI
	ADDQ SI, CX // the end of the positions

	VBROADCASTI128 0(DX), Y0
	VBROADCASTI128 16(DX), Y1
	VBROADCASTI128 32(DX), Y2
	VBROADCASTI128 48(DX), Y3
	VBROADCASTI128 64(DX), Y4
	VBROADCASTI128 80(DX), Y5
	MOVQ           $0x0f0f0f0f0f0f0f0f, AX
	MOVQ           AX, X6
	VPBROADCASTQ   X6, Y6
	VPXOR          Y14, Y14, Y14

loop:
	CMPQ SI, CX
	JGE  done

	// Byte 0: Y11 and Y12 are the buckets of 0-7 and of 8-15.
	VMOVDQU        (SI), Y7
	VPSRLW         $4, Y7, Y8
	VPAND          Y6, Y7, Y7
	VPAND          Y6, Y8, Y8
	VPSHUFB        Y7, Y0, Y9
	VPSHUFB        Y8, Y1, Y10
	VPAND          Y9, Y10, Y11
	VBROADCASTI128 96(DX), Y13
	VPSHUFB        Y7, Y13, Y9
	VBROADCASTI128 112(DX), Y13
	VPSHUFB        Y8, Y13, Y10
	VPAND          Y9, Y10, Y12

	// Byte 1.
	VMOVDQU        1(SI), Y7
	VPSRLW         $4, Y7, Y8
	VPAND          Y6, Y7, Y7
	VPAND          Y6, Y8, Y8
	VPSHUFB        Y7, Y2, Y9
	VPSHUFB        Y8, Y3, Y10
	VPAND          Y9, Y11, Y11
	VPAND          Y10, Y11, Y11
	VBROADCASTI128 128(DX), Y13
	VPSHUFB        Y7, Y13, Y9
	VBROADCASTI128 144(DX), Y13
	VPSHUFB        Y8, Y13, Y10
	VPAND          Y9, Y12, Y12
	VPAND          Y10, Y12, Y12

	// Byte 2.
	VMOVDQU        2(SI), Y7
	VPSRLW         $4, Y7, Y8
	VPAND          Y6, Y7, Y7
	VPAND          Y6, Y8, Y8
	VPSHUFB        Y7, Y4, Y9
	VPSHUFB        Y8, Y5, Y10
	VPAND          Y9, Y11, Y11
	VPAND          Y10, Y11, Y11
	VBROADCASTI128 160(DX), Y13
	VPSHUFB        Y7, Y13, Y9
	VBROADCASTI128 176(DX), Y13
	VPSHUFB        Y8, Y13, Y10
	VPAND          Y9, Y12, Y12
	VPAND          Y10, Y12, Y12

	// A candidate is a byte with some bucket's bit.
	VPOR      Y11, Y12, Y11
	VPCMPEQB  Y14, Y11, Y11
	VPMOVMSKB Y11, AX
	NOTL      AX
	MOVL      AX, (DI)
	ADDQ      $4, DI
	ADDQ      $32, SI
	JMP       loop

done:
	VZEROUPPER
	RET
