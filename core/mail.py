"""E-mail helpers shared by the apps that send mail."""

SUBJECT_MAX = 200


def mail_subject(text: str) -> str:
    """One line, whatever it quotes: an event name with a line break would otherwise be refused by
    Django as a header injection (BadHeaderError) after the invite's rows were committed — a 500."""
    return " ".join(text.split())[:SUBJECT_MAX]
