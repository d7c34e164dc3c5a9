// Reads one SSE stream with github.com/donovanhide/eventsource (Debian's
// golang-github-donovanhide-eventsource-dev) and prints each event it reports as a JSON line
// {"type", "data", "id"}, then {"end": "..."} when the stream ends (the first error, io.EOF
// for a clean end). Built with GO111MODULE=off against /usr/share/gocode by Clients/run.sh.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/donovanhide/eventsource"
)

func main() {
	stream, err := eventsource.Subscribe(os.Args[1], "")
	if err != nil {
		fmt.Fprintln(os.Stderr, "subscribe:", err)
		os.Exit(2)
	}
	out := json.NewEncoder(os.Stdout)
	timeout := time.After(20 * time.Second)
	for {
		select {
		case ev := <-stream.Events:
			out.Encode(map[string]string{"type": ev.Event(), "data": ev.Data(), "id": ev.Id()})
		case err := <-stream.Errors:
			out.Encode(map[string]string{"end": fmt.Sprint(err)})
			os.Exit(0)
		case <-timeout:
			out.Encode(map[string]string{"end": "timeout"})
			os.Exit(0)
		}
	}
}
