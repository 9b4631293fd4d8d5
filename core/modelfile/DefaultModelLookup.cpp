#include "modelfile/DefaultModelLookup.h"

#include <cstdlib>

#ifndef CONTINUO_SOURCE_DIR
#define CONTINUO_SOURCE_DIR "."
#endif
#ifndef CONTINUO_INSTALL_DATA_DIR
#define CONTINUO_INSTALL_DATA_DIR "/usr/local/share/continuo"
#endif

namespace continuo::model {

namespace fs = std::filesystem;

std::vector<fs::path> defaultModelCandidates() {
    if (const char* env = std::getenv(kDefaultModelEnv); env && *env) return {fs::path(env)};
    std::vector<fs::path> c;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) c.push_back(exe.parent_path() / "../share/continuo/models" / kDefaultModelFileName);
    c.push_back(fs::path(CONTINUO_INSTALL_DATA_DIR) / "models" / kDefaultModelFileName);
    if (!ec) c.push_back(exe.parent_path() / "../../resources/models" / kDefaultModelFileName);
    c.push_back(fs::path(CONTINUO_SOURCE_DIR) / "resources/models" / kDefaultModelFileName);
    for (fs::path& p : c)
        p = p.lexically_normal();
    return c;
}

fs::path findDefaultModel(std::string* looked) {
    std::string list;
    for (const fs::path& c : defaultModelCandidates()) {
        std::error_code ec;
        if (fs::is_regular_file(c, ec)) return c;
        list += (list.empty() ? "" : ", ") + c.string();
    }
    if (looked) *looked = list;
    return {};
}

} // namespace continuo::model
