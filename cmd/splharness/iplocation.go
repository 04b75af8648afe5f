package main

import "github.com/spf13/cobra"

// addIPLocationFlag adds --iplocation-db, the IP location database that
// iplocation reads, to a command that runs searches.
func addIPLocationFlag(cmd *cobra.Command, path *string) {
	cmd.Flags().StringVar(path, "iplocation-db", "", "MaxMind-format `file` (.mmdb) that iplocation reads; default: db_path of the [iplocation] stanza of an --app's limits.conf")
}
