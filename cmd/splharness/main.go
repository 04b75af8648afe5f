// Command splharness makes Splunk detection content testable without a
// Splunk server: it parses SPL, expands macros and (in later subcommands)
// runs detections over sample events.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
