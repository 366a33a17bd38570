package main

import "github.com/salesops/salesops/extract"

// erpBlocks is docs/erp.md's generated block "protheus": the built-in
// profile as shipped in the binary (extract/profiles/protheus.yaml), the
// block a consultant copies and adapts.
func erpBlocks(string) (map[string]string, error) {
	b, err := extract.ERPProfile("protheus")
	if err != nil {
		return nil, err
	}
	return map[string]string{"protheus": "\n```yaml\n" + string(b) + "```\n\n"}, nil
}
