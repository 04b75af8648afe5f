package ordered

import "testing"

func TestMarshal(t *testing.T) {
	keys := []string{"z", "a", "m\""}
	values := []any{1, map[string]any{"c": nil, "b": "x"}, []any{true}}
	b, err := Marshal(len(keys), func(i int) (string, any) { return keys[i], values[i] })
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"z":1,"a":{"b":"x","c":null},"m\"":[true]}`; got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
	if _, err := Marshal(1, func(int) (string, any) { return "f", func() {} }); err == nil {
		t.Error("a value JSON cannot hold: no error")
	}
}
