"""Pure report calculations: positivity, quarters, EDS banding, statistical
disclosure control, who is missing, SVG charts. No I/O, no Flask, no SQL."""
