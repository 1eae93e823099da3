//! A span-aware JSON reader: validates RFC 8259 syntax and keeps, for the members the rules
//! look at, their names, values and byte spans; reports duplicate member names anywhere.
