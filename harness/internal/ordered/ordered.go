// Package ordered writes JSON objects with their keys in the order given,
// as CloudTrail writes its records (encoding/json sorts a map's keys). The
// CloudTrail generators of attack data and of benchmark data both need it.
package ordered

import "encoding/json"

// Marshal writes a JSON object of n keys; field returns the i-th key and
// its value.
func Marshal(n int, field func(i int) (key string, value any)) ([]byte, error) {
	b := []byte{'{'}
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		key, value := field(i)
		k, err := json.Marshal(key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(value)
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}
