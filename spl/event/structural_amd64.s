//go:build !purego

#include "textflag.h"

// The frame: the classes of the 64 bytes, then structState's copy.
#define Q 0(SP)
#define E 8(SP)
#define LB 16(SP)
#define RB 24(SP)
#define LS 32(SP)
#define RS 40(SP)
#define COLON 48(SP)
#define COMMA 56(SP)
#define IN 64(SP)
#define OPEN 72(SP)
#define X 80(SP)
#define VALUE 88(SP)
#define END 96(SP)
#define STOP 104(SP)
#define INSTR 112(SP)
#define KEYCARRY 120(SP)
#define PSEP 128(SP)
#define PLB 136(SP)
#define PLS 144(SP)
#define PSHUT 152(SP)
#define PX 160(SP)
#define PEND 168(SP)
#define PCOMMA 176(SP)

// CLASS sets the 64 bits at DST of the bytes in Y0 and Y15 equal to Y.
#define CLASS(Y, DST) \
	VPCMPEQB  Y0, Y, Y10 \
	VPCMPEQB  Y15, Y, Y11 \
	VPMOVMSKB Y10, AX \
	VPMOVMSKB Y11, BX \
	SHLQ      $32, BX \
	ORQ       BX, AX \
	MOVQ      AX, DST

#define BCAST(C, Y) \
	MOVQ         $C, AX \
	MOVQ         AX, X12 \
	VPBROADCASTQ X12, Y

// PRED sets R to the bits of M moved up one, the carry CARRY in bit 0,
// and CARRY to M's bit 63; T is spare.
#define PRED(M, R, CARRY, T) \
	MOVQ M, R \
	SHLQ $1, R \
	ORQ  CARRY, R \
	MOVQ M, T \
	SHRQ $63, T \
	MOVQ T, CARRY

// ZCLASS sets the 64 bits at DST of the bytes in Z0 equal to Z.
#define ZCLASS(Z, DST) \
	VPCMPEQB Z, Z0, K1 \
	KMOVQ    K1, AX \
	MOVQ     AX, DST

// func structBitsAVX2(s string, m []uint64, st *structState, avx512 bool)
TEXT ·structBitsAVX2(SB), NOSPLIT, $184-49
	MOVQ s_base+0(FP), SI
	MOVQ s_len+8(FP), CX
	MOVQ m_base+16(FP), DI
	ANDQ $-64, CX
	JZ   none
	ADDQ SI, CX
	MOVQ CX, STOP
	MOVQ st+40(FP), DX
	MOVQ 0(DX), AX
	MOVQ AX, INSTR
	MOVQ 8(DX), AX
	MOVQ AX, KEYCARRY
	MOVQ 16(DX), AX
	MOVQ AX, PSEP
	MOVQ 24(DX), AX
	MOVQ AX, PLB
	MOVQ 32(DX), AX
	MOVQ AX, PLS
	MOVQ 40(DX), AX
	MOVQ AX, PSHUT
	MOVQ 48(DX), AX
	MOVQ AX, PX
	MOVQ 56(DX), AX
	MOVQ AX, PEND
	MOVQ 64(DX), AX
	MOVQ AX, PCOMMA

	BCAST(0x2222222222222222, Y1) // '"'
	BCAST(0x5c5c5c5c5c5c5c5c, Y2) // '\\'
	BCAST(0x2020202020202020, Y3) // below ' ' as signed bytes: control characters and bytes beyond ASCII
	BCAST(0x7b7b7b7b7b7b7b7b, Y4) // '{'
	BCAST(0x7d7d7d7d7d7d7d7d, Y5) // '}'
	BCAST(0x5b5b5b5b5b5b5b5b, Y6) // '['
	BCAST(0x5d5d5d5d5d5d5d5d, Y7) // ']'
	BCAST(0x3a3a3a3a3a3a3a3a, Y8) // ':'
	BCAST(0x2c2c2c2c2c2c2c2c, Y9) // ','
	MOVQ  $-1, AX
	VMOVQ AX, X14 // all ones, for the prefix xor
	CMPB  avx512+48(FP), $0
	JE    loop
	VPBROADCASTQ X1, Z20
	VPBROADCASTQ X4, Z21
	VPBROADCASTQ X5, Z22
	VPBROADCASTQ X6, Z23
	VPBROADCASTQ X7, Z24
	VPBROADCASTQ X8, Z25
	VPBROADCASTQ X9, Z26
	VPBROADCASTQ X2, Z27
	VPBROADCASTQ X3, Z28
	JMP   zloop

loop:
	VMOVDQU (SI), Y0
	VMOVDQU 32(SI), Y15
	CLASS(Y1, Q)
	CLASS(Y4, LB)
	CLASS(Y5, RB)
	CLASS(Y6, LS)
	CLASS(Y7, RS)
	CLASS(Y8, COLON)
	CLASS(Y9, COMMA)
	VPCMPEQB  Y0, Y2, Y10
	VPCMPGTB  Y0, Y3, Y11
	VPOR      Y10, Y11, Y10
	VPCMPEQB  Y15, Y2, Y12
	VPCMPGTB  Y15, Y3, Y13
	VPOR      Y12, Y13, Y12
	VPMOVMSKB Y10, AX
	VPMOVMSKB Y12, BX
	SHLQ      $32, BX
	ORQ       BX, AX
	MOVQ      AX, E
	JMP       scalar

zloop:
	VMOVDQU64 (SI), Z0
	ZCLASS(Z20, Q)
	ZCLASS(Z21, LB)
	ZCLASS(Z22, RB)
	ZCLASS(Z23, LS)
	ZCLASS(Z24, RS)
	ZCLASS(Z25, COLON)
	ZCLASS(Z26, COMMA)
	VPCMPEQB Z27, Z0, K1
	VPCMPGTB Z0, Z28, K2
	KORQ     K1, K2, K1
	KMOVQ    K1, AX
	MOVQ     AX, E

scalar:
	// in: from each opening quote to before its closing one
	MOVQ      Q, AX
	VMOVQ      AX, X13
	VPCLMULQDQ $0x00, X14, X13, X13
	VMOVQ      X13, BX
	XORQ      INSTR, BX
	MOVQ      BX, IN
	MOVQ      BX, DX
	SARQ      $63, DX
	MOVQ      DX, INSTR
	MOVQ      AX, R8
	ORQ       BX, R8
	NOTQ      R8 // R8: outside strings
	MOVQ      AX, R9
	ANDQ      BX, R9 // R9: opening quotes
	MOVQ      R9, OPEN
	MOVQ      BX, R10
	NOTQ      R10
	ANDQ      AX, R10 // R10: closing quotes

	MOVQ LB, R11
	ANDQ R8, R11
	MOVQ R11, LB
	MOVQ RB, R12
	ANDQ R8, R12
	MOVQ R12, RB
	MOVQ LS, R13
	ANDQ R8, R13
	MOVQ R13, LS
	MOVQ RS, AX
	ANDQ R8, AX
	MOVQ AX, RS
	MOVQ COLON, BX
	ANDQ R8, BX
	MOVQ BX, COLON
	MOVQ BX, 16(DI) // m[2]: colons
	MOVQ COMMA, CX
	ANDQ R8, CX
	MOVQ CX, COMMA
	MOVQ R11, DX
	ORQ  R12, DX
	ORQ  R13, DX
	ORQ  AX, DX
	MOVQ DX, 0(DI) // m[0]: brackets
	ORQ  AX, R12
	MOVQ R12, END // '}' or ']'
	ORQ  BX, DX
	ORQ  CX, DX
	NOTQ DX
	ANDQ R8, DX
	MOVQ DX, X // numbers and words

	// R8 collects what may not follow what, from here on.
	PRED(DX, R11, PX, AX) // R11: after x
	MOVQ  R11, R12
	NOTQ  R12
	ANDQ  DX, R12
	MOVQ  R12, 32(DI)     // m[4]: first bytes of numbers and words
	ORQ   R9, R12
	ORQ   LB, R12
	ORQ   LS, R12
	MOVQ  R12, VALUE
	ORQ   COMMA, DX
	ORQ   END, DX
	NOTQ  DX
	ANDQ  R11, DX         // after x, not x, ',' or an end
	MOVQ  DX, R8
	ORQ   E, R8

	MOVQ  COLON, BX
	ORQ   COMMA, BX
	PRED(BX, R11, PSEP, AX)
	MOVQ  VALUE, R12
	NOTQ  R12
	ANDQ  R12, R11        // after ':' or ',', not a value
	ORQ   R11, R8

	PRED(LB, R11, PLB, AX)
	MOVQ  R11, R13        // R13: after '{'
	MOVQ  R9, R12
	ORQ   RB, R12
	NOTQ  R12
	ANDQ  R12, R11        // after '{', not a string or '}'
	ORQ   R11, R8

	PRED(LS, R11, PLS, AX)
	MOVQ  VALUE, R12
	ORQ   RS, R12
	NOTQ  R12
	ANDQ  R12, R11        // after '[', not a value or ']'
	ORQ   R11, R8

	PRED(R10, R11, PSHUT, AX)
	MOVQ  COLON, R12
	ORQ   COMMA, R12
	ORQ   END, R12
	NOTQ  R12
	ANDQ  R12, R11        // after a string, not ':', ',' or an end
	ORQ   R11, R8

	MOVQ  END, BX
	PRED(BX, R11, PEND, AX)
	MOVQ  COMMA, R12
	ORQ   END, R12
	NOTQ  R12
	ANDQ  R12, R11        // after an end, not ',' or an end
	ORQ   R11, R8
	MOVQ  R8, 40(DI)      // m[5]

	// Keys: strings after '{' or ','; their closing quotes are where
	// the carry of in plus their opening quotes stops.
	MOVQ  COMMA, BX
	PRED(BX, R11, PCOMMA, AX)
	ORQ   R13, R11
	ANDQ  R9, R11
	MOVQ  R11, 24(DI)     // m[3]: keys' opening quotes
	MOVQ  IN, BX
	MOVQ  BX, R12
	BTQ   $0, KEYCARRY
	ADCQ  R11, R12
	SBBQ  AX, AX
	NEGQ  AX
	MOVQ  AX, KEYCARRY
	NOTQ  BX
	ANDQ  BX, R12
	MOVQ  R12, 8(DI)      // m[1]: keys' closing quotes

	ADDQ $64, SI
	ADDQ $48, DI
	CMPQ SI, STOP
	JAE  finish
	CMPB avx512+48(FP), $0
	JNE  zloop
	JMP  loop

finish:

	VZEROUPPER
	MOVQ st+40(FP), DX
	MOVQ INSTR, AX
	MOVQ AX, 0(DX)
	MOVQ KEYCARRY, AX
	MOVQ AX, 8(DX)
	MOVQ PSEP, AX
	MOVQ AX, 16(DX)
	MOVQ PLB, AX
	MOVQ AX, 24(DX)
	MOVQ PLS, AX
	MOVQ AX, 32(DX)
	MOVQ PSHUT, AX
	MOVQ AX, 40(DX)
	MOVQ PX, AX
	MOVQ AX, 48(DX)
	MOVQ PEND, AX
	MOVQ AX, 56(DX)
	MOVQ PCOMMA, AX
	MOVQ AX, 64(DX)

none:
	RET
