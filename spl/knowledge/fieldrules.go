package knowledge

import "github.com/splharness/splharness/spl/value"

// fieldRules is Rules.made as a table that a field read looks in without
// hashing the whole name: every field an event's row asks for passes here
// (a raw field such as eventName, most of them, is in no rule), several
// times an event, and a map's hash of the name was most of the look. A
// slot is chosen from the name's length and a few of its bytes, and found
// by comparing names; when the rules' names crowd some slots (a long run
// of slots to probe), the map is used instead.
type fieldRules struct {
	slots []fieldRuleSlot // nil: look in the map
	mask  uint32
	m     map[string]*fieldRule
	// byID is the rule of each field by its ID (value.Field), up to the
	// highest ID of a name a rule makes: every such name was numbered
	// when the table was made, so an ID past the end is a field no rule
	// makes.
	byID []*fieldRule
}

type fieldRuleSlot struct {
	name string
	fr   *fieldRule // nil for an empty slot
}

// maxRuleProbe is the longest run of slots a name may be probed through;
// rules with a longer one use the map.
const maxRuleProbe = 8

// newFieldRules makes the table of m.
func newFieldRules(m map[string]*fieldRule) fieldRules {
	t := fieldRules{m: m}
	if len(m) == 0 {
		return t
	}
	ids := make([]value.Field, 0, len(m))
	last := int32(-1)
	for name := range m {
		f := value.FieldOf(name)
		ids = append(ids, f)
		last = max(last, f.ID)
	}
	t.byID = make([]*fieldRule, last+1)
	for _, f := range ids {
		if f.ID >= 0 {
			t.byID[f.ID] = m[f.Name]
		}
	}
	size := 16
	for size < 4*len(m) {
		size *= 2
	}
	t.slots, t.mask = make([]fieldRuleSlot, size), uint32(size-1)
	for name, fr := range m {
		i := nameHash(name) & t.mask
		for t.slots[i].fr != nil {
			i = (i + 1) & t.mask
		}
		t.slots[i] = fieldRuleSlot{name, fr}
	}
	// A name's probe ends at an empty slot: the longest run of full slots
	// bounds every look, a miss's too.
	run := 0
	for k := 0; k < 2*size; k++ {
		if t.slots[k&int(t.mask)].fr == nil {
			run = 0
			continue
		}
		if run++; run > maxRuleProbe {
			t.slots = nil
			return t
		}
	}
	return t
}

// nameHash mixes a name's length with its first, middle and last bytes:
// field names of one sourcetype differ in those (userIdentity.arn,
// userIdentity.type, userName, user).
func nameHash(s string) uint32 {
	n := len(s)
	h := uint32(n) * 0x9E3779B1
	if n > 0 {
		h ^= uint32(s[0])*0x85EBCA77 ^ uint32(s[n-1])*0xC2B2AE3D ^ uint32(s[n/2])*0x27D4EB2F ^ uint32(s[n*3/4])*0x165667B1
	}
	return h ^ h>>15
}

// get is what the rules do to name, nil when they do not make it.
func (t *fieldRules) get(name string) *fieldRule {
	if t.slots == nil {
		return t.m[name]
	}
	for i := nameHash(name) & t.mask; ; i = (i + 1) & t.mask {
		sl := &t.slots[i]
		if sl.fr == nil || sl.name == name {
			return sl.fr
		}
	}
}

// getID is get of f.Name, by f's ID when it has one.
func (t *fieldRules) getID(f value.Field) *fieldRule {
	switch {
	case f.ID < 0:
		return t.get(f.Name)
	case int(f.ID) < len(t.byID):
		return t.byID[f.ID]
	}
	return nil
}
