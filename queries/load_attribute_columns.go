package queries

import (
	"context"
	"database/sql"
	_ "embed"
	"strings"
)

//go:embed load_leads_add_attribute.sql
var leadsAddAttributeSQL string

// attributePrefix starts the name of each column of leads that holds a
// profile attribute (migrations/003_attribute_columns.sql); the view
// lead_attributes gives them back as (lead_id, name, value) rows.
const attributePrefix = "attr:"

// attributeColumn is the quoted column of leads holding attribute name.
func attributeColumn(name string) string {
	return QuoteIdent(attributePrefix + name)
}

// addAttributeColumns gives leads, inside tx, a column for each of names
// it has none for yet.
func addAttributeColumns(ctx context.Context, tx *sql.Tx, names []string) error {
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, fill(leadsAddAttributeSQL, "/*COLUMN*/", attributeColumn(name))); err != nil {
			return err
		}
	}
	return nil
}

// attributeSelect is the select-list tail that writes the attribute
// columns names of a staging relation (or of load_leads) into leads by
// name: `, <from>"title" AS "attr:title"` for each; from is "" or a
// table alias with its dot.
func attributeSelect(from string, names []string) string {
	var b strings.Builder
	for _, name := range names {
		b.WriteString(", " + from + QuoteIdent(name) + " AS " + attributeColumn(name))
	}
	return b.String()
}

// attributeSet is the SET-list tail that writes the attribute columns
// names of load_leads (alias n) into the stored leads:
// `, "attr:title" = n."title"` for each.
func attributeSet(names []string) string {
	var b strings.Builder
	for _, name := range names {
		b.WriteString(", " + attributeColumn(name) + " = n." + QuoteIdent(name))
	}
	return b.String()
}
