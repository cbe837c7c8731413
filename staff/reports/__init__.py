"""Staff report pages (issue 8): exports, FFT figures, who is missing, EDS
scoring, the Word report and posters; plus the public "You said, we did"
page and short links."""
