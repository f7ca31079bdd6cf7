"""The pieces of the article importer; `articles.importer` puts them together.

decoding  bytes → text (UTF-8, GB18030, Big5), refusing empty, binary and oversize files
cleaning  line ends, site noise, pinyin annotations, the stripped word 电话
structure title, table of contents, headings → sections
kinds     heading keywords → section kind
damage    text an editor must check: lost characters, mojibake, missing words
lenders   which lender an article is about
"""


class ImportRejected(Exception):
    """A file that cannot be imported; the message is a one-line reason for the editor."""
