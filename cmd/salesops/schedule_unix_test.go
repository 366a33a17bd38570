//go:build unix

package main

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// SIGTERM stops "salesops schedule" with exit status 0 and the stop in
// its JSON log.
func TestScheduleSIGTERM(t *testing.T) {
	cfg := writeConfig(t, "out: "+t.TempDir()+`
log:
  format: json
schedule:
  grace: 2s
  jobs:
    - name: fechamento
      pipelines: [reconciliation]
      business_day: 6
      at: "08:00"
`)
	cmd := exec.Command(os.Args[0], "schedule", "--config", cfg)
	cmd.Env = append(os.Environ(), "SALESOPS_TEST_MAIN=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var log []string
	wait := func(msg string) {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("log ended before %q:\n%s", msg, strings.Join(log, "\n"))
				}
				log = append(log, l)
				if strings.HasPrefix(l, "{") && strings.Contains(l, `"msg":"`+msg+`"`) {
					return
				}
			case <-timeout:
				t.Fatalf("no %q in the log:\n%s", msg, strings.Join(log, "\n"))
			}
		}
	}
	wait("schedule started")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wait("schedule stopped")
	for range lines {
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit: %v, want status 0\n%s", err, strings.Join(log, "\n"))
	}
}
