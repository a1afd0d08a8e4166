package main

import (
	"context"
	"fmt"
	"os/exec"
)

func ping(endpoint string) ([]byte, error) {
	// ruleid: gates.go.shell-command-string
	cmd := exec.Command("sh", "-c", "ping -c 2 "+endpoint)
	return cmd.Output()
}

func lookup(ctx context.Context, name string) ([]byte, error) {
	// ruleid: gates.go.shell-command-string
	return exec.CommandContext(ctx, "/bin/bash", "-c", fmt.Sprintf("dig %s", name)).Output()
}

func run(script string) error {
	// ruleid: gates.go.shell-command-string
	return exec.Command("sh", "-c", script).Run()
}

func pingSafely(host string) ([]byte, error) {
	// ok: gates.go.shell-command-string
	return exec.Command("ping", "-c", "2", host).Output()
}

func uptime() ([]byte, error) {
	// ok: gates.go.shell-command-string
	return exec.Command("sh", "-c", "uptime | cut -d, -f1").Output()
}
