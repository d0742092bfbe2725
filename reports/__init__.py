"""Reports built from named queries: the ecosystem report (reports.ecosystem), as self-contained HTML or PDF."""
