package eval

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"

	"github.com/splharness/splharness/spl/value"
)

// Cryptographic functions: the lowercase hexadecimal digest of the string
// (of every value of a multivalue).

func init() {
	Register(
		hashFunction("md5", md5.New, `md5("abc")`, `"900150983cd24fb0d6963f7d28e17f72"`),
		hashFunction("sha1", sha1.New, `sha1("abc")`, `"a9993e364706816aba3e25717850c26c9cd0d89d"`),
		hashFunction("sha256", sha256.New, `sha256("abc")`,
			`"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"`),
		hashFunction("sha512", sha512.New, `sha512("abc")`,
			`"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"`),
	)
}

func hashFunction(name string, newHash func() hash.Hash, example, want string) *Function {
	return &Function{
		Name: name, MinArgs: 1, MaxArgs: 1,
		Doc:     "Returns the " + name + " digest of the string as lowercase hexadecimal.",
		Example: example, Want: want,
		Source: srcCrypto,
		Call: func(_ *Context, a []value.Value) (value.Value, error) {
			return fnMapStrings(a[0], func(s string) string {
				h := newHash()
				h.Write([]byte(s))
				var sum [64]byte
				return hex.EncodeToString(h.Sum(sum[:0]))
			}), nil
		},
	}
}
