"""The pieces of the article importer; `articles.importer` puts them together.

files     which files to read; no symbolic links, nothing outside a given directory, a size cap
decoding  bytes → text (UTF-8, UTF-16, GB18030, Big5 by charset-normalizer), refusing empty
          and binary files
formats   refusing text that is no article: JSON, CSV, XML, navigation and link-list pages
markup    HTML pages and leftover tags → text; HTML entities → characters
cleaning  line ends, site noise by its shape (statements, ads, counters, sign-offs), pinyin
          annotations, the stripped word 电话
repeats   lines a site repeats on the pages imported together (its frame), by repetition
markers   what a line opens with: heading numbers and marks, bullets, Q&A prefixes
titles    the site's name, labels and urging tails cut off a scraped title; fragments told apart
structure title, table of contents, headings → sections, list items; no headings → `topics`
kinds     heading keywords → section kind
topics    paragraph keywords → section kind, and a page without headings cut into sections
damage    text an editor must check: lost characters, mojibake, missing words
lenders   which lender an article is about
links     web addresses in a page: kept as text, never live links, flagged
limits    sections per article, characters per section and per article (the admin's limits)
"""


class ImportRejected(Exception):
    """A file that cannot be imported; the message is a one-line reason for the editor."""
