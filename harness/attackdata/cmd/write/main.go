// Command write writes the generated AWS Bedrock attack data (CloudTrail
// records, benign near misses and splharness.yml sidecars) under the
// attack_data folder. Run it from the repository root:
//
//	go run ./harness/attackdata/cmd/write
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/splharness/splharness/harness/attackdata"
)

func main() {
	out := flag.String("out", "attack_data", "the attack_data root to write into")
	flag.Parse()
	if err := write(*out); err != nil {
		fmt.Fprintf(os.Stderr, "write: %v\n", err)
		os.Exit(1)
	}
}

func write(root string) error {
	files, err := attackdata.Generate()
	if err != nil {
		return err
	}
	for _, f := range files {
		path := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "wrote %d files under %s\n", len(files), root)
	return nil
}
