package event

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
)

// This file reads the files that are not newline-delimited: CloudTrail
// {"Records":[...]} objects and JSON arrays of events, possibly several
// in a file and possibly followed by objects that are events themselves.
//
// Records are cut out of the stream by their brackets and strings alone,
// a byte at a time over the read buffer, and only then validated as an
// event (record): so a record never costs more memory than MaxEventBytes
// (a longer one is skipped to its end without being kept), and a record
// that is not valid JSON, or nests too deep, is one reject after which
// reading goes on with the next record, as a bad line of a
// newline-delimited file is.

// captureSlack is how much whitespace around a record may go past
// MaxEventBytes while it is cut out: the limit applies to the record's
// text without it.
const captureSlack = 4096

// cutState follows the structure of a record being cut out: whether the
// scan is inside a string (or just after a backslash in one), and the
// brackets open, up to maxDepth of them; deeper ones are only counted.
type cutState struct {
	inStr, esc bool
	open       []byte
	over       int
}

func (st *cutState) reset() {
	st.inStr, st.esc, st.open, st.over = false, false, st.open[:0], 0
}

func (st *cutState) depth() int { return len(st.open) + st.over }

func (st *cutState) push(c byte) {
	if len(st.open) > maxDepth {
		st.over++
		return
	}
	st.open = append(st.open, c)
}

// pop closes the bracket c closes. A closer that does not match the
// innermost open bracket closes the nearest one it matches, the way a
// reader recovering from an error would, so that a broken record still
// ends where its author meant it to; a closer that matches none is text.
func (st *cutState) pop(c byte) {
	if st.over > 0 {
		st.over--
		return
	}
	want := c - 2 // '}'-2 is '{', ']'-2 is '['
	for k := len(st.open) - 1; k >= 0; k-- {
		if st.open[k] == want {
			st.open = st.open[:k]
			return
		}
	}
}

// scan advances over b and returns the index of the byte that ends the
// value outside every string and bracket: a ',' or closer. It returns -1
// when b ends first; the state then carries over to the next bytes.
func (st *cutState) scan(b []byte, closer byte) int {
	i := 0
	for i < len(b) {
		if st.esc {
			st.esc = false
			i++
			continue
		}
		if st.inStr {
			// To the first quote, backslash or control byte, 8 bytes at
			// a time (stopMask, as the validating scanner does).
			for i+8 <= len(b) {
				if m := stopMask(binary.LittleEndian.Uint64(b[i:])); m != 0 {
					i += tzBytes(m)
					goto stop
				}
				i += 8
			}
			for i < len(b) && !strStop[b[i]] {
				i++
			}
			if i == len(b) {
				return -1
			}
		stop:
			switch b[i] {
			case '"':
				st.inStr = false
			case '\\':
				st.esc = true
			}
			i++
			continue
		}
		switch c := b[i]; c {
		case '"':
			st.inStr = true
		case '{', '[':
			st.push(c)
		case '}', ']':
			if st.depth() > 0 {
				st.pop(c)
			} else if c == closer {
				return i
			}
		case ',':
			if st.depth() == 0 {
				return i
			}
		}
		i++
	}
	return -1
}

// detect tells from the start of the content whether a file is JSON
// values (an array, or an object with a Records array among its
// members, first or not) rather than newline-delimited JSON. An object
// whose Records member is not in the first read buffer is taken as
// newline-delimited.
func detect(br *bufio.Reader) bool {
	head, _ := br.Peek(bufSize)
	i := skipSpace(head, 0)
	if i == len(head) {
		return false
	}
	switch head[i] {
	case '[':
		return true
	case '{':
		var st cutState
		for j := i + 1; j < len(head); j++ {
			if n := recordsMember(head[j:]); n > 0 {
				return true
			}
			e := st.scan(head[j:], '}')
			if e < 0 || head[j+e] == '}' {
				return false
			}
			j += e
		}
	}
	return false
}

// recordsMember returns the length of `"Records":[` (with any spaces)
// at the start of b, 0 when b does not start with it.
func recordsMember(b []byte) int {
	i := skipSpace(b, 0)
	if !bytes.HasPrefix(b[i:], []byte(`"Records"`)) {
		return 0
	}
	i = skipSpace(b, i+len(`"Records"`))
	if i == len(b) || b[i] != ':' {
		return 0
	}
	i = skipSpace(b, i+1)
	if i == len(b) || b[i] != '[' {
		return 0
	}
	return i + 1
}

// isRecordsKey reports whether a member's text starts with the key
// "Records".
func isRecordsKey(member []byte) bool {
	i := skipSpace(member, 0)
	if !bytes.HasPrefix(member[i:], []byte(`"Records"`)) {
		return false
	}
	i = skipSpace(member, i+len(`"Records"`))
	return i < len(member) && member[i] == ':'
}

// peekNonSpace discards whitespace and returns the next byte, unread.
func peekNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0, err
		}
		b, _ = br.Peek(br.Buffered())
		i := skipSpace(b, 0)
		br.Discard(i)
		if i < len(b) {
			return b[i], nil
		}
	}
}

// values reads a file of JSON values: arrays of events, CloudTrail
// objects whose Records array holds the events, and objects that are
// events themselves, in any order. idx counts the records of the file;
// a reject names the record by its number.
func (r *reader) values(path string, br *bufio.Reader) error {
	idx := 0
	for {
		c, err := peekNonSpace(br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return r.fail(path, idx+1, err)
		}
		switch c {
		case '[':
			br.Discard(1)
			err = r.elements(path, br, &idx)
		case '{':
			err = r.object(path, br, &idx)
		default:
			idx++
			r.reject(path, idx, "invalid JSON: expected an object or an array, found "+quoteByte(c)+" (skipped to the end of the line)")
			err = r.skipLine(path, br, idx)
		}
		if err != nil {
			return err
		}
	}
}

// skipLine discards the rest of the line, to read on after text that is
// no JSON value.
func (r *reader) skipLine(path string, br *bufio.Reader, idx int) error {
	for {
		_, err := br.ReadSlice('\n')
		switch err {
		case bufio.ErrBufferFull:
			continue
		case nil, io.EOF:
			return nil
		}
		return r.fail(path, idx, err)
	}
}

// capture cuts the next value out of the stream into r.line: the bytes
// up to the first ',' or closer outside its strings and brackets, which
// is consumed and returned. Once the value is longer than MaxEventBytes
// (and captureSlack), its bytes are dropped and long is set; reading goes
// on to its end all the same. At the end of the input it returns the
// read error (io.EOF).
func (r *reader) capture(br *bufio.Reader, closer byte) (stop byte, long bool, err error) {
	st := &r.cut
	st.reset()
	r.line = r.line[:0]
	limit := r.opts.MaxEventBytes + captureSlack
	for {
		if _, err := br.Peek(1); err != nil {
			return 0, long, err
		}
		buf, _ := br.Peek(br.Buffered())
		i := st.scan(buf, closer)
		n := i
		if i < 0 {
			n = len(buf)
		}
		if !long {
			if len(r.line)+n > limit {
				long, r.line = true, r.line[:0]
			} else {
				r.line = append(r.line, buf[:n]...)
			}
		}
		if i >= 0 {
			c := buf[i]
			br.Discard(i + 1)
			return c, long, nil
		}
		br.Discard(n)
	}
}

// tooLong is the reason a record longer than MaxEventBytes is rejected.
func (r *reader) tooLong() string {
	return "record longer than MaxEventBytes (" + itoa(r.opts.MaxEventBytes) + " bytes)"
}

// elements reads the events of an array whose '[' has been read, through
// its ']'.
func (r *reader) elements(path string, br *bufio.Reader, idx *int) error {
	for {
		c, err := peekNonSpace(br)
		if err != nil {
			return r.fail(path, *idx+1, unexpectedEOF(err))
		}
		if c == ']' {
			br.Discard(1)
			return nil
		}
		*idx++
		stop, long, err := r.capture(br, ']')
		if err != nil && err != io.EOF {
			return r.fail(path, *idx, err)
		}
		text := bytes.TrimRight(r.line, " \t\r\n")
		switch {
		case long || len(text) > r.opts.MaxEventBytes:
			r.reject(path, *idx, r.tooLong())
		case err == io.EOF:
			return r.fail(path, *idx, io.ErrUnexpectedEOF)
		case len(text) == 0:
			r.reject(path, *idx, "invalid JSON: no value before "+quoteByte(stop))
		default:
			if err := r.record(path, *idx, text); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return errStop
		}
		if stop == ']' {
			return nil
		}
	}
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// object reads an object whose '{' is next: a CloudTrail object, whose
// "Records" member (first or not) holds the events and whose other
// members are ignored, or else one event.
func (r *reader) object(path string, br *bufio.Reader, idx *int) error {
	br.Discard(1)
	r.hold = append(r.hold[:0], '{')
	limit := r.opts.MaxEventBytes + captureSlack
	var wrapper, long, badRecords bool
	for {
		// A Records member, first or not (or a second one), holds events.
		{
			head, _ := br.Peek(min(bufSize, 4096))
			if n := recordsMember(head); n > 0 {
				br.Discard(n)
				wrapper = true
				if err := r.elements(path, br, idx); err != nil {
					return err
				}
				c, err := peekNonSpace(br)
				if err != nil {
					return r.fail(path, *idx+1, unexpectedEOF(err))
				}
				switch c {
				case '}':
					br.Discard(1)
					return nil
				case ',':
					br.Discard(1)
					continue
				}
				*idx++
				r.reject(path, *idx, "invalid JSON: invalid character "+quoteByte(c)+" after the Records array (skipped to the end of the line)")
				return r.skipLine(path, br, *idx)
			}
		}
		stop, memberLong, err := r.capture(br, '}')
		if err != nil {
			return r.fail(path, *idx+1, unexpectedEOF(err))
		}
		if wrapper {
			if stop == '}' {
				return nil
			}
			continue
		}
		if isRecordsKey(r.line) {
			badRecords = true
		}
		if !long && !memberLong && len(r.hold)+len(r.line)+1 <= limit {
			r.hold = append(append(r.hold, r.line...), stop)
		} else {
			long = true
		}
		if stop == '}' {
			break
		}
	}
	*idx++
	switch {
	case badRecords:
		r.reject(path, *idx, "Records is not an array")
	case long || len(r.hold) > r.opts.MaxEventBytes:
		r.reject(path, *idx, r.tooLong())
	default:
		return r.record(path, *idx, r.hold)
	}
	return nil
}
