package exec_test

import (
	"fmt"
	"testing"

	"github.com/splharness/splharness/spl/exec"
)

// TestPassNeedPerEvent: in a pass where one plan needs every field (its
// output is whole events) and the others a few, each event is extracted
// first for the plans whose pre-filters let it through, and fully only
// when a plan reads beyond that. Every plan gives exactly the rows and
// counts it gives alone, with and without the add-on's knowledge, whose
// calculated fields (user, errorCode) read fields no search names.
func TestPassNeedPerEvent(t *testing.T) {
	events := reuseEvents(300)
	searches := []string{
		`eventName=CreateUser`,
		`eventName=CreateUser | table *`,
		`eventName=Get* OR eventName=List* | stats dc(eventName) as names values(awsRegion) as regions by user userIdentity.userName`,
		`errorCode=E1 | stats count by eventSource user`,
		`eventSource=sts.amazonaws.com | stats count by errorCode`,
		`* | stats count by eventName`,
	}
	passes := [][]string{
		searches,
		searches[1:4],
		{searches[0], searches[4]},
		{searches[2], searches[3]},
	}
	for _, knowledge := range []bool{false, true} {
		for _, workers := range []int{1, 4} {
			for _, in := range []struct {
				name string
				in   exec.Input
			}{{"events", events}, {"scan", scanLines(events)}} {
				for _, pass := range passes {
					opts := exec.Options{Now: now}
					if knowledge {
						opts = addOn(t, true)
					}
					opts.Workers = workers
					rows, counts, errs := runPassRows(t, in.in, pass, opts)
					alone := opts
					alone.Workers = 1
					passAgreesAlone(t, fmt.Sprintf("knowledge %v, %d workers, %s", knowledge, workers, in.name), events, pass, rows, counts, errs, alone)
				}
			}
		}
	}
}
