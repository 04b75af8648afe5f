//go:build !purego

#include "textflag.h"

// func gramBlocksAVX2(s string, from, n int, f *gramFilter, masks *[gramFilterBlock / 32]uint32)
//
// The lookups of buckets 0-7 stay in Y0-Y7; those of buckets 8-15 are
// loaded each round (VPSHUFB takes its table from a register only, and
// there are not registers for all sixteen). Each of a window's four
// bytes is loaded on its own (at 0 to 3 from the round's position), so
// no shift carries across rounds: the last round reads three bytes past
// its positions, which the caller guarantees are within s.
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
	VBROADCASTI128 96(DX), Y6
	VBROADCASTI128 112(DX), Y7
	MOVQ           $0x0f0f0f0f0f0f0f0f, AX
	MOVQ           AX, X8
	VPBROADCASTQ   X8, Y8

loop:
	CMPQ SI, CX
	JGE  done

	// Byte 0: Y13 and Y14 are the buckets of 0-7 and of 8-15.
	VMOVDQU        (SI), Y9
	VPSRLW         $4, Y9, Y10
	VPAND          Y8, Y9, Y9
	VPAND          Y8, Y10, Y10
	VPSHUFB        Y9, Y0, Y11
	VPSHUFB        Y10, Y1, Y12
	VPAND          Y11, Y12, Y13
	VBROADCASTI128 128(DX), Y15
	VPSHUFB        Y9, Y15, Y11
	VBROADCASTI128 144(DX), Y15
	VPSHUFB        Y10, Y15, Y12
	VPAND          Y11, Y12, Y14

	// Byte 1.
	VMOVDQU        1(SI), Y9
	VPSRLW         $4, Y9, Y10
	VPAND          Y8, Y9, Y9
	VPAND          Y8, Y10, Y10
	VPSHUFB        Y9, Y2, Y11
	VPSHUFB        Y10, Y3, Y12
	VPAND          Y11, Y13, Y13
	VPAND          Y12, Y13, Y13
	VBROADCASTI128 160(DX), Y15
	VPSHUFB        Y9, Y15, Y11
	VBROADCASTI128 176(DX), Y15
	VPSHUFB        Y10, Y15, Y12
	VPAND          Y11, Y14, Y14
	VPAND          Y12, Y14, Y14

	// Byte 2.
	VMOVDQU        2(SI), Y9
	VPSRLW         $4, Y9, Y10
	VPAND          Y8, Y9, Y9
	VPAND          Y8, Y10, Y10
	VPSHUFB        Y9, Y4, Y11
	VPSHUFB        Y10, Y5, Y12
	VPAND          Y11, Y13, Y13
	VPAND          Y12, Y13, Y13
	VBROADCASTI128 192(DX), Y15
	VPSHUFB        Y9, Y15, Y11
	VBROADCASTI128 208(DX), Y15
	VPSHUFB        Y10, Y15, Y12
	VPAND          Y11, Y14, Y14
	VPAND          Y12, Y14, Y14

	// Byte 3.
	VMOVDQU        3(SI), Y9
	VPSRLW         $4, Y9, Y10
	VPAND          Y8, Y9, Y9
	VPAND          Y8, Y10, Y10
	VPSHUFB        Y9, Y6, Y11
	VPSHUFB        Y10, Y7, Y12
	VPAND          Y11, Y13, Y13
	VPAND          Y12, Y13, Y13
	VBROADCASTI128 224(DX), Y15
	VPSHUFB        Y9, Y15, Y11
	VBROADCASTI128 240(DX), Y15
	VPSHUFB        Y10, Y15, Y12
	VPAND          Y11, Y14, Y14
	VPAND          Y12, Y14, Y14

	// A candidate is a byte with some bucket's bit.
	VPOR      Y13, Y14, Y13
	VPXOR     Y9, Y9, Y9
	VPCMPEQB  Y9, Y13, Y13
	VPMOVMSKB Y13, AX
	NOTL      AX
	MOVL      AX, (DI)
	ADDQ      $4, DI
	ADDQ      $32, SI
	JMP       loop

done:
	VZEROUPPER
	RET
