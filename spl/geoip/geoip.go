// Package geoip reads IP location databases in the MaxMind DB format
// (.mmdb, the format of the GeoLite2 City database that Splunk ships and
// that limits.conf [iplocation] db_path points at), for the iplocation
// command. It reads the GeoIP2/GeoLite2 City record layout: city, continent,
// country, location and subdivisions, each place with names by language.
//
// The reader is github.com/oschwald/maxminddb-golang/v2, the MaxMind DB
// reader MaxMind's own Go libraries build on: the format (a binary search
// tree over address bits, a typed data section, metadata) is a public
// specification, but a checked, fuzzed reader beats a hand-written one.
package geoip

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/oschwald/maxminddb-golang/v2"
)

// DB is an open IP location database. It is safe for concurrent lookups.
type DB struct {
	r    *maxminddb.Reader
	path string
}

// Open opens the .mmdb database at path.
func Open(path string) (*DB, error) {
	r, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("IP location database %s: %w", path, err)
	}
	return &DB{r: r, path: path}, nil
}

// OpenBytes opens a database held in memory.
func OpenBytes(b []byte, name string) (*DB, error) {
	r, err := maxminddb.OpenBytes(b)
	if err != nil {
		return nil, fmt.Errorf("IP location database %s: %w", name, err)
	}
	return &DB{r: r, path: name}, nil
}

// Path is where the database was opened from.
func (db *DB) Path() string { return db.path }

// Close releases the database.
func (db *DB) Close() error { return db.r.Close() }

// Names are a place's names by language code ("en", "de", "pt-BR" ...).
type Names map[string]string

// Place is a named place with its ISO code, when it has one.
type Place struct {
	Code  string // ISO 3166-1 country code, ISO 3166-2 subdivision code, continent code
	Names Names
}

// Location is what the database knows of an address. Empty fields are
// unknown.
type Location struct {
	City, Continent, Country, Region Place
	Lat, Lon                         *float64
	MetroCode                        uint
	Timezone                         string
}

// record is the City layout, as MaxMind documents it.
type record struct {
	City struct {
		Names Names `maxminddb:"names"`
	} `maxminddb:"city"`
	Continent struct {
		Code  string `maxminddb:"code"`
		Names Names  `maxminddb:"names"`
	} `maxminddb:"continent"`
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
		Names   Names  `maxminddb:"names"`
	} `maxminddb:"country"`
	Location struct {
		Latitude  *float64 `maxminddb:"latitude"`
		Longitude *float64 `maxminddb:"longitude"`
		MetroCode uint     `maxminddb:"metro_code"`
		TimeZone  string   `maxminddb:"time_zone"`
	} `maxminddb:"location"`
	Subdivisions []struct {
		ISOCode string `maxminddb:"iso_code"`
		Names   Names  `maxminddb:"names"`
	} `maxminddb:"subdivisions"`
}

// Lookup returns what the database holds for an address: false when it
// has no record of it (an internal address, say).
func (db *DB) Lookup(addr netip.Addr) (Location, bool, error) {
	res := db.r.Lookup(addr.Unmap())
	if err := res.Err(); err != nil {
		return Location{}, false, fmt.Errorf("IP location database %s: %w", db.path, err)
	}
	if !res.Found() {
		return Location{}, false, nil
	}
	var rec record
	if err := res.Decode(&rec); err != nil {
		return Location{}, false, fmt.Errorf("IP location database %s: %w", db.path, err)
	}
	loc := Location{
		City:      Place{Names: rec.City.Names},
		Continent: Place{Code: rec.Continent.Code, Names: rec.Continent.Names},
		Country:   Place{Code: rec.Country.ISOCode, Names: rec.Country.Names},
		Lat:       rec.Location.Latitude, Lon: rec.Location.Longitude,
		MetroCode: rec.Location.MetroCode, Timezone: rec.Location.TimeZone,
	}
	if len(rec.Subdivisions) > 0 {
		loc.Region = Place{Code: rec.Subdivisions[0].ISOCode, Names: rec.Subdivisions[0].Names}
	}
	return loc, true, nil
}

// ParseAddr reads an address as iplocation takes one: an IPv4 or IPv6
// address, or a subnet in CIDR notation (its network address is looked
// up), surrounding spaces ignored.
func ParseAddr(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Addr{}, false
		}
		return p.Masked().Addr(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.WithZone(""), true
}

// Name returns a place's name in the first of langs it has one in; the
// language "code" asks for the place's ISO code instead (a city has none,
// and then gives its English name).
func (p Place) Name(langs []string) string {
	for _, l := range langs {
		if l == "code" {
			if p.Code != "" {
				return p.Code
			}
			if n := p.Names["en"]; n != "" {
				return n
			}
			continue
		}
		if n := p.Names[l]; n != "" {
			return n
		}
	}
	return ""
}
