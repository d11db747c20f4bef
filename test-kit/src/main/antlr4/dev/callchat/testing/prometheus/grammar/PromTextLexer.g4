// The Prometheus text exposition format, version 0.0.4, as its reference states it
// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format): lines end in '\n';
// '# HELP name doc' and '# TYPE name kind' lines; other lines starting with '#' are comments; a sample is
// 'name{label="value",...} value [timestamp]', label values escaping \\ \" \n, HELP text escaping \\ \n.
lexer grammar PromTextLexer;

HASH   : '#' -> pushMode(COMMENT) ;
VALUE  : [+-]? ( DIGITS ( '.' DIGITS? )? EXPONENT? | '.' DIGITS EXPONENT? ) | 'NaN' | [+-] 'Inf' ;
NAME   : [a-zA-Z_:] [a-zA-Z0-9_:]* ;
LBRACE : '{' ;
RBRACE : '}' ;
COMMA  : ',' ;
EQ     : '=' ;
STRING : '"' ( ~["\\\n] | '\\' [\\"n] )* '"' ;
SP     : [ \t]+ ;
NL     : '\n' ;

fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;

mode COMMENT;
// ' HELP ' is longer than the one character of COMMENT_START, so it wins where both match.
HELP_KW       : ' HELP ' -> mode(HELP_NAME) ;
TYPE_KW       : ' TYPE ' -> mode(TYPE_NAME) ;
COMMENT_NL    : '\n' -> type(NL), popMode ;
COMMENT_START : ~[\n] -> mode(COMMENT_REST) ;

mode COMMENT_REST;
COMMENT_TEXT  : ~[\n]+ ;
REST_NL       : '\n' -> type(NL), popMode ;

mode HELP_NAME;
HELP_METRIC   : [a-zA-Z_:] [a-zA-Z0-9_:]* -> mode(HELP_TEXT) ;

mode HELP_TEXT;
DOC           : ' ' ( ~[\\\n] | '\\' [\\n] )* ;
HELP_NL       : '\n' -> type(NL), popMode ;

mode TYPE_NAME;
TYPE_METRIC   : [a-zA-Z_:] [a-zA-Z0-9_:]* -> mode(TYPE_KIND) ;

mode TYPE_KIND;
KIND          : ' ' ( 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' ) ;
TYPE_NL       : '\n' -> type(NL), popMode ;
