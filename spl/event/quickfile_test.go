package event

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

// fileRecords is the records of the first block (256 KB) of the file
// SPLHARNESS_BENCH_NDJSON names (such as splharness gen writes): records
// of many shapes, so that the branches of the validating loop are
// predicted as over a real file, not learnt on one record; and their size
// in bytes.
func fileRecords(b *testing.B) (recs []string, size int) {
	p := os.Getenv("SPLHARNESS_BENCH_NDJSON")
	if p == "" {
		b.Skip("SPLHARNESS_BENCH_NDJSON names no file")
	}
	f, err := os.Open(p)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, blockSize)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF {
		b.Fatal(err)
	}
	buf = buf[:bytes.LastIndexByte(buf[:n], '\n')+1]
	recs = strings.Split(strings.TrimSuffix(string(buf), "\n"), "\n")
	for _, r := range recs {
		size += len(r)
	}
	return recs, size
}

// BenchmarkQuickFindFile is BenchmarkQuickFind over a block of a file's
// records, each validated in turn; and their stops alone.
func BenchmarkQuickFindFile(b *testing.B) {
	recs, size := fileRecords(b)
	b.Run("quickFind", func(b *testing.B) {
		var hits [8]hit
		stops := new([]uint64)
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, r := range recs {
				hits[0] = hit{}
				if !quickFind(r, cloudtrailStamps.names, &hits, stops) {
					b.Fatal("not settled")
				}
			}
		}
	})
	b.Run("stopBits", func(b *testing.B) {
		stops := new([]uint64)
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, r := range recs {
				stopBits(r, stops)
			}
		}
	})
}
