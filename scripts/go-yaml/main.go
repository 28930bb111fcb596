// Command go-yaml reads HelmRelease files the way Flux v1 (fluxd 1.25) read them, with the real
// gopkg.in/yaml.v2 and github.com/ghodss/yaml, and prints what it saw as JSON, so that
// scripts/go-yaml/compare.ts can hold this project's reader (src/helmrelease) against it.
//
// Input (stdin): a JSON array of {"name": string, "text": string}. Output (stdout): a JSON array,
// one entry per input, in order:
//
//	{"name", "error"?: string, "docs": [...], "raw": [...]}
//
// "error" is the error Flux v1's ParseMultidoc returned for the file (the whole file was then
// unreadable); "docs" are the resources read before it (kind "" skipped, Lists opened), each with
// its annotations as Flux read them (yaml.v2 into map[string]string) and, for a HelmRelease, its
// spec.values as Flux read them (ghodss/yaml, JSON types) and the containers Flux's detection
// rules (FLUX-V1-RULES.md §3, §4) find there, as [name, reference text before parsing].
// "raw" is every document as yaml.v2 decodes it into interface{}, each scalar written "type:value"
// (map keys too), for comparing scalar types one by one.
//
// Not part of CI (CI has no Go). Run it through scripts/go-yaml/run.sh; see docs/contributing.md.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	jsonyaml "github.com/ghodss/yaml"
	"gopkg.in/yaml.v2"
)

type input struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

type doc struct {
	Kind        string            `json:"kind"`
	APIVersion  string            `json:"apiVersion"`
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace"`
	Annotations map[string]string `json:"annotations"`
	Values      interface{}       `json:"values,omitempty"`
	Containers  [][2]string       `json:"containers,omitempty"`
}

type output struct {
	Name  string        `json:"name"`
	Error string        `json:"error,omitempty"`
	Docs  []doc         `json:"docs"`
	Raw   []interface{} `json:"raw"`
	// RawError is the error of the first yaml.v2 decode into interface{}, if any.
	RawError string `json:"rawError,omitempty"`
}

// The shape of Flux v1's baseObject (pkg/cluster/kubernetes/resource/resource.go): yaml tags
// only, so ghodss/yaml's JSON step does not fill Meta ("metadata" is not "Meta").
type baseObject struct {
	source string
	bytes  []byte

	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Meta       struct {
		Namespace   string            `yaml:"namespace"`
		Name        string            `yaml:"name"`
		Annotations map[string]string `yaml:"annotations,omitempty"`
	} `yaml:"metadata"`
}

// The shape of Flux v1's HelmRelease (helmrelease.go).
type helmRelease struct {
	baseObject
	Spec struct {
		Values map[string]interface{}
	}
}

type rawList struct {
	Items []map[string]interface{}
}

// unmarshalObject follows Flux v1's unmarshalObject and unmarshalKind for the kinds that matter
// here: HelmRelease (through ghodss/yaml), *List (items re-marshalled and read again), others.
// It returns whether it read a resource (kind "" reads as none). Only a document's own List is
// opened (`nested` false): ParseMultidoc took the items of a top-level List as resources, and a
// List among them as one resource, whose items it never looked at.
func unmarshalObject(b []byte, out *[]doc, nested bool) (bool, error) {
	var base baseObject
	if err := yaml.Unmarshal(b, &base); err != nil {
		return false, err
	}
	d := doc{Kind: base.Kind, APIVersion: base.APIVersion, Name: base.Meta.Name,
		Namespace: base.Meta.Namespace, Annotations: base.Meta.Annotations}
	switch {
	case base.Kind == "CronJob" || base.Kind == "DaemonSet" || base.Kind == "Deployment" ||
		base.Kind == "Namespace" || base.Kind == "StatefulSet":
		*out = append(*out, d)
	case strings.HasSuffix(base.Kind, "List"):
		var raw rawList
		if err := yaml.Unmarshal(b, &raw); err != nil {
			return false, err
		}
		if nested {
			*out = append(*out, d)
			return true, nil
		}
		// unmarshalList ignored its own error, but it stopped at the item it could not read and
		// left that item and the rest nil, as it left an item of no kind; ParseMultidoc then
		// called ResourceID on the nil item, and fluxd panicked (nil pointer dereference).
		for i, item := range raw.Items {
			ib, err := yaml.Marshal(item)
			if err != nil {
				return false, fmt.Errorf("list item %d: %v; Flux v1 then panicked on the nil item", i, err)
			}
			read, err := unmarshalObject(ib, out, true)
			if err != nil {
				return false, fmt.Errorf("list item %d: %v; Flux v1 then panicked on the nil item", i, err)
			}
			if !read {
				return false, fmt.Errorf("list item %d has no kind; Flux v1 panicked on the nil item", i)
			}
		}
		return true, nil
	case base.Kind == "FluxHelmRelease" || base.Kind == "HelmRelease":
		hr := helmRelease{baseObject: base}
		if err := jsonyaml.Unmarshal(b, &hr); err != nil {
			return false, err
		}
		d.Values = hr.Spec.Values
		d.Containers = containers(hr.Meta.Annotations, hr.Spec.Values)
		*out = append(*out, d)
	case base.Kind == "":
		return false, nil
	default:
		*out = append(*out, d)
	}
	return true, nil
}

// parseMultidoc follows Flux v1's ParseMultidoc (load.go): decode each document generically,
// marshal it again, and read the result.
func parseMultidoc(text []byte, out *[]doc) error {
	decoder := yaml.NewDecoder(bytes.NewReader(text))
	for {
		var val interface{}
		if err := decoder.Decode(&val); err != nil {
			if err == io.EOF {
				return nil
			}
			return fmt.Errorf("scanning multidoc: %v", err)
		}
		b, err := yaml.Marshal(val)
		if err != nil {
			return fmt.Errorf("parsing YAML doc: %v", err)
		}
		if _, err := unmarshalObject(b, out, false); err != nil {
			return fmt.Errorf("parsing YAML doc: %v", err)
		}
	}
}

// containers applies FLUX-V1-RULES §3 (detection at spec.values and one level down) and §4
// (alias annotations, dot paths from spec.values), giving each container's reference text as
// Flux joined it, before image.ParseRef.
func containers(annotations map[string]string, values map[string]interface{}) [][2]string {
	found := map[string]string{}
	if values == nil {
		return nil
	}
	if ref, ok := asContainer(values); ok {
		found["chart-image"] = ref
	}
	for k, v := range values {
		if m, ok := v.(map[string]interface{}); ok {
			if ref, ok := asContainer(m); ok {
				found[k] = ref
			}
		}
	}
	type paths struct{ registry, repository, tag string }
	aliases := map[string]paths{}
	for k, v := range annotations {
		for _, prefix := range []string{"registry.fluxcd.io/", "repository.fluxcd.io/", "tag.fluxcd.io/"} {
			if strings.HasPrefix(k, prefix) {
				name := strings.TrimPrefix(k, prefix)
				p := aliases[name]
				switch prefix {
				case "registry.fluxcd.io/":
					p.registry = v
				case "repository.fluxcd.io/":
					p.repository = v
				default:
					p.tag = v
				}
				aliases[name] = p
			}
		}
	}
	for name, p := range aliases {
		if p.repository == "" {
			continue
		}
		repo, ok := atPath(values, p.repository)
		if !ok {
			continue
		}
		ref := repo
		if p.registry != "" {
			reg, ok := atPath(values, p.registry)
			if !ok {
				continue
			}
			ref = reg + "/" + ref
		}
		if p.tag != "" {
			tag, ok := atPath(values, p.tag)
			if !ok {
				continue
			}
			ref = ref + ":" + tag
		}
		found[name] = ref
	}
	var list [][2]string
	for name, ref := range found {
		list = append(list, [2]string{name, ref})
	}
	sort.Slice(list, func(i, j int) bool { return list[i][0] < list[j][0] })
	return list
}

// asContainer: a map with a string image (plus string registry and tag if present), or an image
// map with a string repository (same).
func asContainer(m map[string]interface{}) (string, bool) {
	switch image := m["image"].(type) {
	case string:
		return joined(m, image), true
	case map[string]interface{}:
		if repo, ok := image["repository"].(string); ok {
			return joined(image, repo), true
		}
	}
	return "", false
}

func joined(m map[string]interface{}, name string) string {
	ref := name
	if reg, ok := m["registry"].(string); ok {
		ref = reg + "/" + ref
	}
	if tag, ok := m["tag"].(string); ok {
		ref = ref + ":" + tag
	}
	return ref
}

// atPath walks a dot path through maps (no lists, no escaping); ok only for a string.
func atPath(values map[string]interface{}, path string) (string, bool) {
	var node interface{} = values
	for _, part := range strings.Split(path, ".") {
		m, ok := node.(map[string]interface{})
		if !ok {
			return "", false
		}
		node = m[part]
	}
	s, ok := node.(string)
	return s, ok
}

// typed writes a yaml.v2 value with every scalar as "type:value".
func typed(v interface{}) interface{} {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		m := map[string]interface{}{}
		for k, val := range t {
			key, _ := typed(k).(string)
			m[key] = typed(val)
		}
		return m
	case []interface{}:
		list := make([]interface{}, len(t))
		for i, item := range t {
			list[i] = typed(item)
		}
		return list
	case nil:
		return "null:"
	case string:
		return "str:" + t
	case bool:
		return "bool:" + strconv.FormatBool(t)
	case int:
		return "int:" + strconv.Itoa(t)
	case int64:
		return "int:" + strconv.FormatInt(t, 10)
	case uint64:
		return "int:" + strconv.FormatUint(t, 10)
	case float64:
		return "float:" + strconv.FormatFloat(t, 'g', -1, 64)
	default:
		return fmt.Sprintf("%T:%v", t, t)
	}
}

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		panic(err)
	}
	var cases []input
	if err := json.Unmarshal(in, &cases); err != nil {
		panic(err)
	}
	outs := make([]output, 0, len(cases))
	for _, c := range cases {
		o := output{Name: c.Name, Docs: []doc{}, Raw: []interface{}{}}
		if err := parseMultidoc([]byte(c.Text), &o.Docs); err != nil {
			o.Error = err.Error()
		}
		decoder := yaml.NewDecoder(strings.NewReader(c.Text))
		for {
			var val interface{}
			if err := decoder.Decode(&val); err != nil {
				if err != io.EOF {
					o.RawError = err.Error()
				}
				break
			}
			o.Raw = append(o.Raw, typed(val))
		}
		outs = append(outs, o)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(outs); err != nil {
		panic(err)
	}
}
