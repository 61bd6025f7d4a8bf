// A shared object that is not a clustersim plugin: it exports no clustersim_register_plugins.
extern "C" int some_other_function() { return 42; }
