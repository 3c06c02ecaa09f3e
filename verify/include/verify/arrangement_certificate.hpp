// The checker for certificates of kind "arrangement" (docs/certificate.md). Another kind goes in its own file
// and gets one branch in check_certificate.
#pragma once

#include "verify/certificate_check.hpp"

#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <vector>

namespace chamber::verify {

/*! checks an "arrangement" certificate (checks 1-5 of docs/certificate.md) whose format and version are already
 * checked, and fills the sizes in `report` as they become known.
 * \throws CheckFailure with a reason naming the JSON path, region, hyperplane or Farkas entry at fault. */
void check_arrangement_certificate(const nlohmann::json& certificate,
                                   const std::optional<std::vector<std::vector<mpz_class>>>& input_rows,
                                   CheckReport& report);

/// Why an arrangement certificate lists at least one region (check_region_count's `nonempty`).
inline constexpr const char* arrangement_nonempty = "every arrangement has at least one region";

/*! The checks of an "arrangement" certificate fed one region and one Farkas entry at a time, in their order (from a
 * parsed certificate or from a stream, certificate_check.hpp). What it keeps: per region its sign vector as bits and
 * its blocked pairs, per Farkas entry its indices and signs — never a region's JSON. Every member function
 * \throws CheckFailure as check_arrangement_certificate. */
class ArrangementChecker {
 public:
  /*! reads the arrangement (check 1) and, when given, matches it with the input file's rows. */
  ArrangementChecker(const nlohmann::json& arrangement,
                     const std::optional<std::vector<std::vector<mpz_class>>>& input_rows, CheckReport& report);
  ~ArrangementChecker();
  ArrangementChecker(const ArrangementChecker&) = delete;
  ArrangementChecker& operator=(const ArrangementChecker&) = delete;

  /*! the number of Farkas entries, when it is known before the regions: blocked pairs are then range-checked as they
   * are read (otherwise in finish()). */
  void expect_farkas(std::size_t count);
  /*! every blocked pair cites an entry already added (a sharded certificate reads its entries before the pairs that
   * cite them): each pair is checked as it is read and none is kept. */
  void cite_added_entries_only();
  /*! adds the pair [hyperplane, farkas] to region k's blocked list (a sharded certificate's completion, `path` names
   * it) and checks it now: the entry must already be added. */
  void add_blocked(std::size_t k, std::size_t hyperplane, std::size_t farkas, const std::string& path);
  /*! region k (k = the regions added so far): its witness (check 2), a sign vector no earlier region has, the shape of
   * its blocked pairs. Equal to add_checked_region(k, check_region_alone(k, region)). */
  void add_region(std::size_t k, const nlohmann::json& region);
  /*! Farkas entry f (f = the entries added so far): a valid proof of infeasibility (check 3). Equal to
   * add_checked_farkas(check_farkas_alone(f, entry)). */
  void add_farkas(std::size_t f, const nlohmann::json& entry);

  /// What the checks of one region or entry alone leave for the checks that need the others.
  struct CheckedRegion {
    std::string signs;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> blocked;  // (hyperplane, farkas entry)
  };
  struct CheckedFarkas {
    std::vector<std::uint32_t> indices;
    std::string signs;
  };
  /*! the checks of region k that need nothing else (its shape, its witness: check 2; its pairs' shape, no hyperplane
   * twice), keeping nothing: separate checkers of the same arrangement run them in parallel. */
  CheckedRegion check_region_alone(std::size_t k, const nlohmann::json& region);
  /*! the same for Farkas entry f (check 3). */
  CheckedFarkas check_farkas_alone(std::size_t f, const nlohmann::json& entry);
  /*! region k, checked alone: kept, its pairs checked against the entries (now when they are known), its sign vector
   * against the earlier ones. */
  void add_checked_region(std::size_t k, const CheckedRegion& region);
  /*! the next Farkas entry, checked alone: kept. */
  void add_checked_farkas(CheckedFarkas&& entry);
  /*! after every region and entry: the blocked pairs' entries exist and agree (check 4), and the regions are closed
   * under crossing facets. */
  void finish();

  std::size_t regions() const;
  std::size_t farkas() const;
  std::size_t hyperplanes() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace chamber::verify
