//go:build !purego

#include "textflag.h"

// CLASS tests the 32 bytes in Y0 and writes each class's 32 bits to
// OFF(DI), OFF+8(DI), ... (one uint64 a class, structMasks of them).
#define CLASS(OFF) \
	VPCMPEQB  Y0, Y1, Y10 \
	VPMOVMSKB Y10, AX \
	MOVL      AX, (OFF+0)(DI) \
	VPCMPEQB  Y0, Y2, Y10 \
	VPCMPGTB  Y0, Y3, Y11 \
	VPOR      Y10, Y11, Y10 \
	VPMOVMSKB Y10, AX \
	MOVL      AX, (OFF+8)(DI) \
	VPCMPEQB  Y0, Y4, Y10 \
	VPMOVMSKB Y10, AX \
	MOVL      AX, (OFF+16)(DI) \
	VPCMPEQB  Y0, Y5, Y10 \
	VPMOVMSKB Y10, AX \
	MOVL      AX, (OFF+24)(DI) \
	VPCMPEQB  Y0, Y6, Y10 \
	VPMOVMSKB Y10, AX \
	MOVL      AX, (OFF+32)(DI) \
	VPCMPEQB  Y0, Y7, Y10 \
	VPMOVMSKB Y10, AX \
	MOVL      AX, (OFF+40)(DI) \
	VPCMPEQB  Y0, Y8, Y10 \
	VPMOVMSKB Y10, AX \
	MOVL      AX, (OFF+48)(DI) \
	VPCMPEQB  Y0, Y9, Y10 \
	VPMOVMSKB Y10, AX \
	MOVL      AX, (OFF+56)(DI)

#define BCAST(C, Y) \
	MOVQ         $C, AX \
	MOVQ         AX, X12 \
	VPBROADCASTQ X12, Y

// func structBitsAVX2(s string, m []uint64)
TEXT ·structBitsAVX2(SB), NOSPLIT, $0-40
	MOVQ s_base+0(FP), SI
	MOVQ s_len+8(FP), CX
	MOVQ m_base+16(FP), DI
	SHRQ $6, CX
	JZ   done
	BCAST(0x2222222222222222, Y1) // '"'
	BCAST(0x5c5c5c5c5c5c5c5c, Y2) // '\\'
	BCAST(0x2020202020202020, Y3) // below ' ' as signed bytes: control characters and bytes beyond ASCII
	BCAST(0x7b7b7b7b7b7b7b7b, Y4) // '{'
	BCAST(0x7d7d7d7d7d7d7d7d, Y5) // '}'
	BCAST(0x5b5b5b5b5b5b5b5b, Y6) // '['
	BCAST(0x5d5d5d5d5d5d5d5d, Y7) // ']'
	BCAST(0x3a3a3a3a3a3a3a3a, Y8) // ':'
	BCAST(0x2c2c2c2c2c2c2c2c, Y9) // ','

loop:
	VMOVDQU (SI), Y0
	CLASS(0)
	VMOVDQU 32(SI), Y0
	CLASS(4)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  loop
	VZEROUPPER

done:
	RET
