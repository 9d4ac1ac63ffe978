"""Images: safe decoding of uploaded bytes, and (later) what detectors see in them."""
