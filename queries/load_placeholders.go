package queries

// NoValue is the stored value of a profile attribute whose field is empty
// (or, loaded with LoadRequest.Placeholders, a placeholder): such leads
// form a group of their own, as an empty channel does (NoChannel).
const NoValue = "(missing)"

// PlaceholderValues are the values exports use for a field nobody filled
// in ("Select" is a form's unchosen drop-down), compared ignoring case and
// surrounding spaces. funnel status counts them per column; a load with
// LoadRequest.Placeholders stores them as missing.
func PlaceholderValues() []string {
	return []string{"select", "-", "--", "n/a", "null", "none", "?"}
}

// textValueExpr is file column c as trimmed text, NULL when empty and, with
// placeholders, when it is one of PlaceholderValues.
func textValueExpr(c fileColumn, placeholders bool) string {
	v := trimmedText(c)
	if !placeholders {
		return v
	}
	return "CASE WHEN lower(" + v + ") IN (" + literalList(PlaceholderValues()) + ") THEN NULL ELSE " + v + " END"
}
