// Placeholder translation unit; the implementation replaces it.
namespace modelgate::tools {}
