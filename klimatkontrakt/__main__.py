from klimatkontrakt.cli import app

app(prog_name="klimatkontrakt")
