/*
 * bare_write.cc - the engine's floor for tests/bench/run.sh: writing what
 * trouve writes, with no reading of posts and no analysis.
 *
 *   bare_write dump INDEX DIR
 *       Reads each local shard of a trouve index (the "auto" lines of
 *       INDEX/XAPIANDB) and writes DIR/shard-<i>.dump: every document's
 *       terms with their wdf (0: boolean), values and data, then the
 *       shard's synonyms and user metadata.
 *   bare_write write DIR OUT [--no-compact]
 *       Writes each DIR/shard-<i>.dump into a fresh glass database
 *       OUT/shard-<i>, one thread per shard as trouve does, committing
 *       where trouve does: every 2,000 documents, 16 MB of document data
 *       or 125,000 postings, a bound that grows to an eighth of the
 *       postings committed, up to 500,000 and 1,000,000 for all shards
 *       (shard_job.c's batch_changes_max; trouve also counts the new stem
 *       pairs of each document, which the dump cannot tell: its commits
 *       may come a few documents earlier, and it writes the pairs at each
 *       commit rather than all at the end), then
 *       compacts each shard into OUT/shard-<i>.1 and removes
 *       OUT/shard-<i> (as trouve does after a run that changed an eighth
 *       of the index) unless --no-compact.  Prints the seconds it took.
 *
 * It is a benchmark tool, not part of trouve: it includes <xapian.h>
 * (trouve itself reaches Xapian only through src/xapian/xapian_c.cc).
 *
 * Dump format, little-endian: per document "D", u32 terms, terms x (u32
 * len, bytes, u32 wdf), u32 values, values x (u32 slot, u32 len, bytes),
 * u32 len, data; then per synonym key "S", u32 len, key, u32 n, n x (u32
 * len, term); per metadata key "M", u32 len, key, u32 len, value; "E" at
 * the end.
 */
#include <xapian.h>

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

// trouve's batches: BATCH_POSTS (indexer.c), then shard_job.c's
const unsigned BATCH = 2000;
const size_t BATCH_BYTES = 16 << 20;
const uint64_t BATCH_CHANGES = 125000, BATCH_GROWTH = 8,
               BATCH_CHANGES_MAX = 500000, BATCH_CHANGES_ALL = 1000000;

// shard_job.c's batch_changes_max.
uint64_t batch_changes_max(uint64_t committed, size_t shards)
{
    uint64_t cap = std::min(BATCH_CHANGES_ALL / shards, BATCH_CHANGES_MAX);
    uint64_t n = committed / BATCH_GROWTH;
    return n < BATCH_CHANGES || cap < BATCH_CHANGES ? BATCH_CHANGES
                                                    : std::min(n, cap);
}

void put32(std::ostream &o, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    o.write((const char *)b, 4);
}

void putstr(std::ostream &o, const std::string &s)
{
    put32(o, (uint32_t)s.size());
    o.write(s.data(), (std::streamsize)s.size());
}

uint32_t get32(std::istream &in)
{
    unsigned char b[4];
    if (!in.read((char *)b, 4))
        throw std::runtime_error("short dump");
    return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

std::string getstr(std::istream &in)
{
    std::string s(get32(in), '\0');
    if (!s.empty() && !in.read(&s[0], (std::streamsize)s.size()))
        throw std::runtime_error("short dump");
    return s;
}

/* The local shard folders named by INDEX/XAPIANDB, in order. */
std::vector<std::string> local_shards(const std::string &index)
{
    std::ifstream stub(index + "/XAPIANDB");
    if (!stub)
        throw std::runtime_error("no stub file in " + index);
    std::vector<std::string> v;
    std::string line;
    while (std::getline(stub, line))
        if (line.compare(0, 5, "auto ") == 0)
            v.push_back(line[5] == '/' ? line.substr(5)
                                       : index + "/" + line.substr(5));
    return v;
}

void dump_shard(const std::string &path, const std::string &out)
{
    Xapian::Database db(path);
    std::ofstream o(out, std::ios::binary);
    for (Xapian::PostingIterator d = db.postlist_begin("");
         d != db.postlist_end(""); ++d) {
        Xapian::Document doc = db.get_document(*d);
        o.put('D');
        put32(o, doc.termlist_count());
        for (Xapian::TermIterator t = doc.termlist_begin();
             t != doc.termlist_end(); ++t) {
            putstr(o, *t);
            put32(o, t.get_wdf());
        }
        put32(o, doc.values_count());
        for (Xapian::ValueIterator v = doc.values_begin();
             v != doc.values_end(); ++v) {
            put32(o, v.get_valueno());
            putstr(o, *v);
        }
        putstr(o, doc.get_data());
    }
    for (Xapian::TermIterator k = db.synonym_keys_begin();
         k != db.synonym_keys_end(); ++k) {
        std::vector<std::string> terms;
        for (Xapian::TermIterator s = db.synonyms_begin(*k);
             s != db.synonyms_end(*k); ++s)
            terms.push_back(*s);
        o.put('S');
        putstr(o, *k);
        put32(o, (uint32_t)terms.size());
        for (const std::string &t : terms)
            putstr(o, t);
    }
    for (Xapian::TermIterator k = db.metadata_keys_begin();
         k != db.metadata_keys_end(); ++k) {
        o.put('M');
        putstr(o, *k);
        putstr(o, db.get_metadata(*k));
    }
    o.put('E');
    if (!o)
        throw std::runtime_error("cannot write " + out);
}

/* Removes a folder of files (a glass database). */
void remove_folder(const std::string &path)
{
    if (DIR *d = opendir(path.c_str())) {
        while (struct dirent *e = readdir(d))
            if (e->d_name[0] != '.')
                unlink((path + "/" + e->d_name).c_str());
        closedir(d);
    }
    rmdir(path.c_str());
}

/* Writes one dump into a fresh database at out, then (compact) its
 * compaction at out + ".1", and removes out, as trouve switches to a new
 * generation of a shard. */
void write_shard(const std::string &dump, const std::string &out,
                 size_t shards, bool compact, std::string *error)
{
    try {
        std::ifstream in(dump, std::ios::binary);
        if (!in)
            throw std::runtime_error("cannot read " + dump);
        Xapian::WritableDatabase db(out, Xapian::DB_CREATE |
                                             Xapian::DB_BACKEND_GLASS);
        unsigned batch = 0;
        uint64_t postings = 0, committed = 0;
        size_t bytes = 0;
        for (int c; (c = in.get()) != 'E';) {
            if (c == 'D') {
                Xapian::Document doc;
                for (uint32_t n = get32(in); n; n--) {
                    std::string term = getstr(in);
                    uint32_t wdf = get32(in);
                    if (wdf) {
                        doc.add_term(term, wdf);
                        postings++;
                    } else {
                        doc.add_boolean_term(term);
                    }
                }
                for (uint32_t n = get32(in); n; n--) {
                    uint32_t slot = get32(in);
                    doc.add_value(slot, getstr(in));
                }
                std::string data = getstr(in);
                bytes += data.size();
                doc.set_data(data);
                db.add_document(doc);
                if (++batch == BATCH || bytes >= BATCH_BYTES ||
                    postings >= batch_changes_max(committed, shards)) {
                    db.commit();
                    committed += postings;
                    batch = postings = bytes = 0;
                }
            } else if (c == 'S') {
                std::string key = getstr(in);
                for (uint32_t n = get32(in); n; n--)
                    db.add_synonym(key, getstr(in));
            } else if (c == 'M') {
                std::string key = getstr(in);
                db.set_metadata(key, getstr(in));
            } else {
                throw std::runtime_error("bad dump " + dump);
            }
        }
        db.commit();
        db.close();
        if (compact) {
            Xapian::Database src(out);
            src.compact(out + ".1", Xapian::DBCOMPACT_MULTIPASS |
                                        Xapian::Compactor::FULL);
            src.close();
            remove_folder(out);
        }
    } catch (const Xapian::Error &e) {
        *error = e.get_description();
    } catch (const std::exception &e) {
        *error = e.what();
    }
}

} // namespace

int main(int argc, char **argv)
{
    try {
        if (argc == 4 && !strcmp(argv[1], "dump")) {
            std::vector<std::string> shards = local_shards(argv[2]);
            for (size_t i = 0; i < shards.size(); i++)
                dump_shard(shards[i], std::string(argv[3]) + "/shard-" +
                                          std::to_string(i) + ".dump");
            std::cout << shards.size() << " shards dumped\n";
            return 0;
        }
        if ((argc == 4 || argc == 5) && !strcmp(argv[1], "write")) {
            bool compact = !(argc == 5 && !strcmp(argv[4], "--no-compact"));
            std::vector<std::string> dumps;
            for (unsigned i = 0;; i++) {
                std::string d = std::string(argv[2]) + "/shard-" +
                                std::to_string(i) + ".dump";
                if (!std::ifstream(d))
                    break;
                dumps.push_back(d);
            }
            if (dumps.empty())
                throw std::runtime_error("no shard-0.dump in " +
                                         std::string(argv[2]));
            auto t0 = std::chrono::steady_clock::now();
            std::vector<std::thread> threads;
            std::vector<std::string> errors(dumps.size());
            for (size_t i = 0; i < dumps.size(); i++)
                threads.emplace_back(write_shard, dumps[i],
                                     std::string(argv[3]) + "/shard-" +
                                         std::to_string(i),
                                     dumps.size(), compact, &errors[i]);
            for (std::thread &t : threads)
                t.join();
            double s = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - t0).count();
            for (const std::string &e : errors)
                if (!e.empty())
                    throw std::runtime_error(e);
            std::cout << dumps.size() << " shards written in " << s
                      << " s\n";
            return 0;
        }
        std::cerr << "usage: bare_write dump INDEX DIR\n"
                     "       bare_write write DIR OUT [--no-compact]\n";
        return 2;
    } catch (const Xapian::Error &e) {
        std::cerr << "bare_write: " << e.get_description() << "\n";
    } catch (const std::exception &e) {
        std::cerr << "bare_write: " << e.what() << "\n";
    }
    return 2;
}
