package exec_test

import (
	"strings"
	"testing"

	"github.com/splharness/splharness/spl/exec"
)

// sessions: alice logs in, reads and logs out within a minute; bob logs in,
// pauses nine minutes, reads and logs out.
var sessions = lines{
	`{"eventTime":"2026-11-01T10:00:00Z","user":"alice","action":"login","src":"1.1.1.1"}`,
	`{"eventTime":"2026-11-01T10:00:30Z","user":"alice","action":"read","src":"1.1.1.2"}`,
	`{"eventTime":"2026-11-01T10:01:00Z","user":"alice","action":"logout","src":"1.1.1.1"}`,
	`{"eventTime":"2026-11-01T10:00:10Z","user":"bob","action":"login","src":"2.2.2.2"}`,
	`{"eventTime":"2026-11-01T10:09:00Z","user":"bob","action":"read","src":"2.2.2.2"}`,
	`{"eventTime":"2026-11-01T10:09:30Z","user":"bob","action":"logout","src":"2.2.2.2"}`,
}

// Search Reference, "transaction": the page's options on these events.
func TestTransaction(t *testing.T) {
	for _, c := range []struct{ name, search, want string }{
		{"fields: one transaction per user, newest first; duration and eventcount; values distinct and sorted",
			`user=* | transaction user | table _time user action src duration eventcount`,
			compact(`{"_time": "2026-11-01T10:00:10.000+00:00", "user": "bob", "action": ["login", "logout", "read"], "src": "2.2.2.2", "duration": "560", "eventcount": "3"}`,
				`{"_time": "2026-11-01T10:00:00.000+00:00", "user": "alice", "action": ["login", "logout", "read"], "src": ["1.1.1.1", "1.1.1.2"], "duration": "60", "eventcount": "3"}`)},
		// transaction clientip maxspan=30s maxpause=5s: a pause longer than maxpause splits.
		{"maxpause splits",
			`user=* | transaction user maxpause=1m | table _time user action duration eventcount`,
			compact(`{"_time": "2026-11-01T10:09:00.000+00:00", "user": "bob", "action": ["logout", "read"], "duration": "30", "eventcount": "2"}`,
				`{"_time": "2026-11-01T10:00:10.000+00:00", "user": "bob", "action": "login", "duration": "0", "eventcount": "1"}`,
				`{"_time": "2026-11-01T10:00:00.000+00:00", "user": "alice", "action": ["login", "logout", "read"], "duration": "60", "eventcount": "3"}`)},
		{"maxspan splits",
			`user=bob | transaction user maxspan=5m | table _time action eventcount`,
			compact(`{"_time": "2026-11-01T10:09:00.000+00:00", "action": ["logout", "read"], "eventcount": "2"}`, `{"_time": "2026-11-01T10:00:10.000+00:00", "action": "login", "eventcount": "1"}`)},
		// transaction startswith="signon" endswith="purchase": an unfinished
		// transaction is evicted, events before a start are orphans.
		{"startswith and endswith, mvlist=t keeps every value in time order",
			`user=* | transaction user startswith=(action=login) endswith="action=logout" maxspan=2m mvlist=t | table user action src eventcount`,
			compact(`{"user": ["alice", "alice", "alice"], "action": ["login", "read", "logout"], "src": ["1.1.1.1", "1.1.1.2", "1.1.1.1"], "eventcount": "3"}`)},
		{"keepevicted keeps the unfinished, closed_txn tells them apart",
			`user=* | transaction user startswith=eval(action="login") endswith=(action=logout) maxspan=2m keepevicted=t | table user action eventcount closed_txn`,
			compact(`{"user": "bob", "action": "login", "eventcount": "1", "closed_txn": "0"}`, `{"user": "alice", "action": ["login", "logout", "read"], "eventcount": "3", "closed_txn": "1"}`)},
		{"keeporphans passes the events outside finished transactions",
			`user=bob | transaction user startswith=(action=login) endswith=(action=logout) maxspan=2m keeporphans=t | table action eventcount`,
			compact(`{"action": "logout"}`, `{"action": "read"}`, `{"action": "login"}`)},
		{"no fields: one grouping; maxevents",
			`user=* | transaction maxevents=2 | table user eventcount`,
			compact(`{"user": "bob", "eventcount": "2"}`, `{"user": "alice", "eventcount": "2"}`, `{"user": ["alice", "bob"], "eventcount": "2"}`)},
		{"mvlist naming a field",
			`user=alice | transaction user mvlist=src | table action src`,
			compact(`{"action": ["login", "logout", "read"], "src": ["1.1.1.1", "1.1.1.2", "1.1.1.1"]}`)},
		{"_raw is the events' text in time order",
			`user=alice action!=read | transaction user | table _raw`,
			compact(`{"_raw": "{\"eventTime\":\"2026-11-01T10:00:00Z\",\"user\":\"alice\",\"action\":\"login\",\"src\":\"1.1.1.1\"}\n{\"eventTime\":\"2026-11-01T10:01:00Z\",\"user\":\"alice\",\"action\":\"logout\",\"src\":\"1.1.1.1\"}"}`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := run(t, sessions, c.search, exec.Options{}); got != c.want {
				t.Errorf("%s\ngot:\n%swant:\n%s", c.search, got, c.want)
			}
		})
	}
}

func TestTransactionErrors(t *testing.T) {
	for _, c := range []struct{ search, want string }{
		{`| makeresults | transaction maxspan=2x`, `unknown timescale "x"`},
		{`| makeresults | transaction maxevents=0`, "maxevents=0"},
		{`| makeresults | transaction name=foo`, "option name of command transaction is not supported by the evaluator"},
		{`| makeresults | transaction unifyends=t`, "option unifyends=t of command transaction is not supported by the evaluator"},
	} {
		err := compileError(t, c.search)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.search, err, c.want)
		}
	}
	err := runErr(t, `| makeresults count=5 | transaction`, exec.Options{MaxResultRows: 3})
	if err == nil || !strings.Contains(err.Error(), "maxresultrows") {
		t.Errorf("error %v, want maxresultrows", err)
	}
}
