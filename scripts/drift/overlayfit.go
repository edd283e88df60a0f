package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/secondarydns/secondarydns-go/scripts/specprep"
	"gopkg.in/yaml.v3"
)

// deadAction is an overlay action that matches nothing in the upstream
// document: upstream fixed the mistake it worked around, or moved its target.
type deadAction struct {
	Index  int // 1-based, as oasdiff and the overlay library count them
	Target string
	Remove bool // a remove action: what it removed is gone anyway
}

// rewriteOverlayPaths replaces quoted path templates in an overlay's text
// (old → new), following path-parameter renames and moved operations.
func rewriteOverlayPaths(overlay []byte, moves map[string]string) []byte {
	s := string(overlay)
	for oldPath, newPath := range moves {
		for _, q := range []string{"'", `"`} {
			s = strings.ReplaceAll(s, q+oldPath+q, q+newPath+q)
		}
	}
	return []byte(s)
}

// fitOverlay applies the overlay's actions one by one to the used operations
// selected from doc, the way specprep.Prepare applies the whole overlay, and
// returns the overlay without the actions that match nothing, and those
// actions. Any other failure of an action is returned as an error.
func fitOverlay(doc map[string]any, ops []specprep.Operation, overlay []byte) ([]byte, []deadAction, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(overlay, &root); err != nil {
		return nil, nil, fmt.Errorf("parsing the overlay: %w", err)
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return overlay, nil, nil // empty overlay
	}
	top := root.Content[0]
	var actions *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "actions" {
			actions = top.Content[i+1]
		}
	}
	if actions == nil || actions.Kind != yaml.SequenceNode {
		return overlay, nil, nil
	}
	cur, err := specprep.Select(doc, ops)
	if err != nil {
		return nil, nil, err
	}
	// Usually every action still matches: one pass tells (action by action
	// costs an encoding of the selection per action).
	if _, err := specprep.ApplyOverlay(cur, overlay); err == nil {
		return overlay, nil, nil
	}
	all := actions.Content
	defer func() { actions.Content = all }()
	var kept []*yaml.Node
	var dead []deadAction
	for i, a := range all {
		actions.Content = []*yaml.Node{a}
		one, err := yaml.Marshal(&root)
		if err != nil {
			return nil, nil, err
		}
		next, err := specprep.ApplyOverlay(cur, one)
		switch {
		case err != nil && strings.Contains(err.Error(), "did not match any targets"):
			dead = append(dead, deadAction{Index: i + 1, Target: actionField(a, "target"), Remove: actionField(a, "remove") == "true"})
			continue
		case err != nil:
			return nil, nil, fmt.Errorf("overlay action %d: %w", i+1, err)
		}
		cur = next
		kept = append(kept, a)
	}
	if len(dead) == 0 {
		return overlay, nil, nil
	}
	actions.Content = kept
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2) // as the overlays are written
	if err := enc.Encode(&root); err != nil {
		return nil, nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, nil, err
	}
	return out.Bytes(), dead, nil
}

func actionField(a *yaml.Node, key string) string {
	for i := 0; i+1 < len(a.Content); i += 2 {
		if a.Content[i].Value == key {
			return a.Content[i+1].Value
		}
	}
	return ""
}
