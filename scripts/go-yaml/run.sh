#!/usr/bin/env bash
# Runs main.go against Debian's packaged gopkg.in/yaml.v2 (2.4.0) and github.com/ghodss/yaml:
#   apt-get install -y golang-go golang-gopkg-yaml.v2-dev golang-github-ghodss-yaml-dev
# Debian lays them out as a GOPATH under /usr/share/gocode, so this builds without modules.
set -euo pipefail
cd "$(dirname "$0")"
GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= exec go run main.go
