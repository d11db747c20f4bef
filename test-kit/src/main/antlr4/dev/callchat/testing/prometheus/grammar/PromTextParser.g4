// See PromTextLexer.g4 for the format's reference.
parser grammar PromTextParser;

options { tokenVocab = PromTextLexer; }

exposition : ( line? NL )* EOF ;

line
    : HASH HELP_KW HELP_METRIC DOC?                 # help
    | HASH TYPE_KW TYPE_METRIC KIND                 # type
    | HASH ( COMMENT_START COMMENT_TEXT? )?         # comment
    | NAME labels? SP VALUE ( SP VALUE )? SP?       # sample
    ;

labels : LBRACE ( label ( COMMA label )* COMMA? )? RBRACE ;

label : NAME EQ STRING ;
