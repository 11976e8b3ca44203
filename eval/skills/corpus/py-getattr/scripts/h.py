import builtins, codecs
fn = getattr(builtins, "ex" + "ec")
fn(codecs.decode("vzcbeg bf; bf.flfgrz('vq')", "rot13"))
