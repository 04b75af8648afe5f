package exec

import (
	"strings"

	"github.com/splharness/splharness/spl"
	"github.com/splharness/splharness/spl/geoip"
	"github.com/splharness/splharness/spl/value"
)

// compileIplocation compiles `iplocation [prefix=s] [allfields=b]
// [lang=s] field` as the Search Reference's iplocation page documents it:
// the address in field is looked up in the IP location database, and a
// found address gets City, Country, Region, lat and lon (with
// allfields=true also Continent, MetroCode and Timezone), each prefixed
// with prefix; what the database does not know of a found address is an
// empty value; an address it has no record of (an internal address), or a
// value that is no address, gets no fields. lang is a comma-separated list
// of languages in order of preference (default en); lang=code gives ISO
// codes instead of names. A CIDR subnet is looked up by its network
// address.
//
// The database comes from Options.IPLocation (limits.conf [iplocation]
// db_path, or a flag); without one the command cannot run, and says so.
func (p *planner) compileIplocation(c *spl.IplocationCommand) (stageBuilder, error) {
	o, err := p.parseOptions(c, c.Options, c.After)
	if err != nil {
		return nil, err
	}
	prefix, allFields := o.String("prefix"), o.Bool("allfields")
	var langs []string
	for _, l := range strings.Split(o.String("lang"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			langs = append(langs, l)
		}
	}
	if len(langs) == 0 {
		return nil, errorf(c.Pos, "iplocation: lang=%q names no language", o.String("lang"))
	}
	if p.opts.IPLocation == nil {
		return nil, unsupported(c.Pos, "iplocation needs an IP location database (.mmdb, MaxMind format): set db_path in the [iplocation] stanza of an --app's limits.conf, or pass --iplocation-db FILE")
	}
	db, err := p.opts.IPLocation()
	if err != nil {
		return nil, errorf(c.Pos, "iplocation: %v", err)
	}
	field := fieldName(c.Field)
	str := func(s string) value.Value { return value.Str(s) }
	coord := func(f *float64) value.Value {
		if f == nil {
			return value.Str("")
		}
		return value.Num(*f)
	}
	return filterStage(func(r *value.Row) (bool, error) {
		v := r.Get(field)
		if v.IsNull() {
			return true, nil
		}
		addr, ok := geoip.ParseAddr(v.First())
		if !ok {
			return true, nil
		}
		loc, found, err := db.Lookup(addr)
		if err != nil || !found {
			return true, err
		}
		r.Set(prefix+"City", str(loc.City.Name(langs)))
		if allFields {
			r.Set(prefix+"Continent", str(loc.Continent.Name(langs)))
		}
		r.Set(prefix+"Country", str(loc.Country.Name(langs)))
		if allFields {
			metro := value.Str("")
			if loc.MetroCode != 0 {
				metro = value.Num(float64(loc.MetroCode))
			}
			r.Set(prefix+"MetroCode", metro)
		}
		r.Set(prefix+"Region", str(loc.Region.Name(langs)))
		if allFields {
			r.Set(prefix+"Timezone", str(loc.Timezone))
		}
		r.Set(prefix+"lat", coord(loc.Lat))
		r.Set(prefix+"lon", coord(loc.Lon))
		return true, nil
	}), nil
}
