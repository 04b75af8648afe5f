package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/splharness/splharness/spl/conf"
	"github.com/splharness/splharness/spl/geoip"
)

// IPLocation finds the IP location database that iplocation reads and
// returns its opener, which opens it once, on first use; nil when none is
// configured. flagPath (the --iplocation-db flag) wins; else the db_path
// of the [iplocation] stanza of the app folders' limits.conf, later apps
// over earlier, local/ over default/, as Splunk merges .conf files
// (limits.conf.spec: "db_path = <path> ... Absolute path to GeoIP database
// in MMDB format"). A relative db_path is taken relative to the app
// folder that sets it, so that an app can carry its database.
func IPLocation(appDirs []string, flagPath string) (func() (*geoip.DB, error), error) {
	path := flagPath
	if path == "" {
		for _, dir := range appDirs {
			f, errs := conf.Load([]conf.App{{FS: os.DirFS(dir), Name: dir}}, "limits.conf")
			if len(errs) > 0 {
				return nil, errs[0]
			}
			if s := f.Stanza("iplocation"); s != nil {
				if v, ok := s.Get("db_path"); ok && v != "" {
					if !filepath.IsAbs(v) {
						v = filepath.Join(dir, v)
					}
					path = v
				}
			}
		}
	}
	if path == "" {
		return nil, nil
	}
	var (
		once sync.Once
		db   *geoip.DB
		err  error
	)
	return func() (*geoip.DB, error) {
		once.Do(func() {
			db, err = geoip.Open(path)
			if err != nil {
				err = fmt.Errorf("%w (from %s)", err, source(flagPath))
			}
		})
		return db, err
	}, nil
}

func source(flagPath string) string {
	if flagPath != "" {
		return "--iplocation-db"
	}
	return "limits.conf [iplocation] db_path"
}
