// Package geoipwrite writes small IP location databases in the MaxMind DB
// format with the GeoIP2 City record layout that package geoip reads: the
// databases tests and generated test data need (no real one can be
// shipped or fetched). It uses github.com/maxmind/mmdbwriter, MaxMind's
// own writer.
package geoipwrite

import (
	"bytes"
	"fmt"
	"net"
	"net/netip"
	"slices"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Entry is one network and where it is. Empty strings and zero
// coordinates are left out of the record.
type Entry struct {
	Network netip.Prefix
	// City, Region, Country and Continent names by language code.
	City, Region, Country, Continent map[string]string
	RegionCode, CountryCode          string
	ContinentCode                    string
	Lat, Lon                         float64
	MetroCode                        uint
	Timezone                         string
}

// Write builds a database of entries. buildEpoch is the metadata's build
// time (fixed, so that the bytes are reproducible).
func Write(entries []Entry, buildEpoch int64) ([]byte, error) {
	langs := map[string]bool{}
	for _, e := range entries {
		for _, m := range []map[string]string{e.City, e.Region, e.Country, e.Continent} {
			for l := range m {
				langs[l] = true
			}
		}
	}
	var list []string
	for l := range langs {
		list = append(list, l)
	}
	slices.Sort(list)
	t, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType: "GeoLite2-City", Description: map[string]string{"en": "splharness test data: documentation addresses only"},
		Languages: list, RecordSize: 24, IncludeReservedNetworks: true, BuildEpoch: buildEpoch,
	})
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !e.Network.IsValid() {
			return nil, fmt.Errorf("geoipwrite: an entry without a network")
		}
		p := e.Network.Masked()
		// An IPv4 network goes in as 4 bytes: the writer places it in the
		// IPv6 tree's IPv4 subtree (and aliases ::ffff:0:0/96 to it).
		ipnet := &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
		if err := t.Insert(ipnet, e.record()); err != nil {
			return nil, fmt.Errorf("geoipwrite: %s: %w", e.Network, err)
		}
	}
	var buf bytes.Buffer
	if _, err := t.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (e Entry) record() mmdbtype.Map {
	names := func(m map[string]string) mmdbtype.Map {
		out := mmdbtype.Map{}
		for l, n := range m {
			out[mmdbtype.String(l)] = mmdbtype.String(n)
		}
		return out
	}
	place := func(codeKey, code string, m map[string]string) mmdbtype.Map {
		out := mmdbtype.Map{}
		if code != "" {
			out[mmdbtype.String(codeKey)] = mmdbtype.String(code)
		}
		if len(m) > 0 {
			out["names"] = names(m)
		}
		return out
	}
	rec := mmdbtype.Map{}
	if len(e.City) > 0 {
		rec["city"] = place("", "", e.City)
	}
	if len(e.Continent) > 0 || e.ContinentCode != "" {
		rec["continent"] = place("code", e.ContinentCode, e.Continent)
	}
	if len(e.Country) > 0 || e.CountryCode != "" {
		rec["country"] = place("iso_code", e.CountryCode, e.Country)
	}
	loc := mmdbtype.Map{}
	if e.Lat != 0 || e.Lon != 0 {
		loc["latitude"], loc["longitude"] = mmdbtype.Float64(e.Lat), mmdbtype.Float64(e.Lon)
	}
	if e.MetroCode != 0 {
		loc["metro_code"] = mmdbtype.Uint16(e.MetroCode)
	}
	if e.Timezone != "" {
		loc["time_zone"] = mmdbtype.String(e.Timezone)
	}
	if len(loc) > 0 {
		rec["location"] = loc
	}
	if len(e.Region) > 0 || e.RegionCode != "" {
		rec["subdivisions"] = mmdbtype.Slice{place("iso_code", e.RegionCode, e.Region)}
	}
	return rec
}
