// Tests of the checker for network certificates: ways to spoil a valid hand-written certificate (verify_networks.hpp)
// are rejected with a reason naming the region, neuron, Farkas entry or field at fault.
#include "verify_networks.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace chamber::test::verify_networks;

TEST_CASE("tampered network certificates are rejected with a reason", "[verify][network]") {
  SECTION("a missing region") {
    json cert = bent_certificate();
    remove_region(cert, 1);  // "++-"
    require_rejected(cert, {"neighbour ++- is not a region", "regions["});
  }
  SECTION("a missing region next to a dead neuron") {
    json cert = dead_neuron_certificate();
    remove_region(cert, 2);  // "-+000", the neighbour of "++0+0" across x = 0
    require_rejected(cert, {"regions[0]: the hyperplane of neuron 0: neighbour -+000 is not a region"});
  }
  SECTION("a missing region across a chain of layers") {
    json cert = chain_certificate();
    remove_region(cert, 1);
    require_rejected(cert, {"regions[0]: the hyperplane of neuron 0: neighbour -+0 is not a region"});
    cert = chain_certificate();
    remove_region(cert, 0);
    require_rejected(cert, {"regions[0]: the hyperplane of neuron 0: neighbour +++ is not a region"});
  }
  SECTION("a duplicated region") {
    json cert = two_points_on_a_line();
    cert["regions"].push_back(cert["regions"][1]);
    cert["region_count"] = 4;
    require_rejected(cert, {"regions[1] and regions[3] have the same pattern"});
  }
  SECTION("a wrong character: constant form") {
    json cert = bent_certificate();
    cert["regions"][6]["pattern"] = "--0";
    require_rejected(cert, {"regions[6].pattern[2]", "constant form -1", "must be '-'"});
  }
  SECTION("a wrong character: zero for a non-constant form") {
    json cert = two_points_on_a_line();
    cert["regions"][1]["pattern"] = "+0";
    require_rejected(cert, {"regions[1].pattern[1]", "non-constant"});
  }
  SECTION("a wrong character: the witness is on the other side") {
    json cert = two_points_on_a_line();
    cert["regions"][1]["pattern"] = "-+";
    require_rejected(cert, {"regions[1]: the witness is not in the cell: neuron 0"});
  }
  SECTION("a wrong character: zero forms must be '0'") {
    json cert = dead_neuron_certificate();
    cert["regions"][0]["pattern"] = "+++++";
    require_rejected(cert, {"regions[0].pattern[2]", "must be '0'"});
  }
  SECTION("a bad pattern character or length") {
    json cert = two_points_on_a_line();
    cert["regions"][2]["pattern"] = "+x";
    require_rejected(cert, {"regions[2].pattern[1]: bad character 'x'"});
    cert["regions"][2]["pattern"] = "+++";
    require_rejected(cert, {"regions[2].pattern: length 3, expected 2"});
  }
  SECTION("a witness outside its cell") {
    json cert = bent_certificate();
    cert["regions"][1]["witness"] = {"1", "1/2"};  // "++-" needs x + y < 1
    require_rejected(cert, {"regions[1]: the witness is not in the cell: neuron 2 has value 1/2, sign - expected"});
  }
  SECTION("a witness on a hyperplane") {
    json cert = two_points_on_a_line();
    cert["regions"][1]["witness"] = {"1"};
    require_rejected(cert, {"regions[1]: the witness is not in the cell: neuron 1 has value 0"});
  }
  SECTION("a witness outside the box") {
    json cert = box_certificate();
    cert["regions"][2]["witness"] = {"2"};
    require_rejected(cert, {"regions[2].witness[0]: 2 is not inside the box (-1, 2)"});
  }
  SECTION("a witness of the wrong length") {
    json cert = bent_certificate();
    cert["regions"][3]["witness"] = {"1"};
    require_rejected(cert, {"regions[3].witness: length 1, expected 2"});
  }
  SECTION("a bad Farkas multiplier") {
    json cert = two_points_on_a_line();
    cert["farkas"][0]["multipliers"] = {"2", "1"};
    require_rejected(cert, {"regions[", "farkas[0]: the combination of the linear parts is not zero"});
    cert["farkas"][0]["multipliers"] = {"0", "1"};
    require_rejected(cert, {"farkas[0].multipliers[0]: multiplier 0 is not positive"});
    cert["farkas"][0]["multipliers"] = {"1"};
    require_rejected(cert, {"farkas[0].multipliers: length 1, expected 2"});
  }
  SECTION("a Farkas entry whose constant term is positive") {
    json cert = box_certificate();
    cert["network"]["layers"][0]["bias"][2] = "-5/2";  // (x - 5/2) + (2 - x) = -1/2: still cut off
    require_valid(cert, 3, 4, 1);
    cert["network"]["layers"][0]["bias"][2] = "-7/4";  // the hyperplane x = 7/4 is now inside the box
    // Every region blocks it; the lowest one is named.
    require_rejected(cert, {"regions[0].blocked[1]: farkas[1]: the combination's constant term 1/4 > 0"});
  }
  SECTION("a Farkas entry with the wrong orientation") {
    json cert = two_points_on_a_line();
    // Valid for "--" and "++", but for "+-" neuron 1 is on its side -: the entry reads the other side.
    cert["regions"][1]["blocked"] = json::array({json::array({0, 0})});
    require_rejected(cert, {"regions[1].blocked[0]: farkas[0].signs[1]: + for neuron 1, expected -"});
  }
  SECTION("a Farkas entry with the region's side of the blocked hyperplane") {
    json cert = two_points_on_a_line();
    cert["farkas"].push_back(farkas({1, 0}, "--", {"1", "1"}));  // -(x - 1) - x: not zero anyway, orientation first
    cert["regions"][0]["blocked"] = json::array({json::array({1, 1})});
    require_rejected(cert, {"regions[0].blocked[0]: farkas[1].signs[0]: - for neuron 1 (on the blocked hyperplane"});
  }
  SECTION("a box face must have sign +") {
    json cert = box_certificate();
    cert["farkas"][1]["signs"] = "+-";
    require_rejected(cert, {"farkas[1].signs[1]: - for box face 1, expected +"});
  }
  SECTION("box faces without a box") {
    json cert = two_points_on_a_line();
    cert["farkas"][0]["conditions"] = {0, 2};
    require_rejected(cert, {"farkas[0].conditions[1]"});
  }
  SECTION("blocked pairs that name no hyperplane") {
    json cert = dead_neuron_certificate();
    cert["farkas"] = json::array({farkas({0}, "+", {"1"})});
    cert["regions"][0]["blocked"] = json::array({json::array({2, 0})});
    require_rejected(cert, {"regions[0].blocked[0]: neuron 2 has a constant form"});
    json boxed = box_certificate();
    boxed["regions"][0]["blocked"].push_back({3, 0});
    require_rejected(boxed, {"regions[0].blocked[2]: the hyperplane of neuron 3 is a face of the box"});
    json twice = two_points_on_a_line();
    twice["regions"][0]["blocked"].push_back({1, 0});
    require_rejected(twice, {"regions[0].blocked[1]: the hyperplane of neuron 1 is blocked twice"});
  }
  SECTION("a Farkas entry that is empty") {
    json cert = two_points_on_a_line();
    cert["farkas"][0] = farkas(json::array(), "", json::array());
    require_rejected(cert, {"farkas[0].conditions: empty"});
  }
  SECTION("a missing Farkas entry") {
    json cert = bent_certificate();
    cert["regions"][2]["blocked"] = json::array();
    require_rejected(cert, {"regions[2]: the hyperplane of neuron 0: neighbour --+ is not a region"});
  }
  SECTION("a wrong region_count") {
    json cert = bent_certificate();
    cert["region_count"] = 8;
    require_rejected(cert, {"region_count 8 but 7 regions listed"});
  }
  SECTION("wrong neurons") {
    json cert = bent_certificate();
    cert["neurons"] = 2;
    require_rejected(cert, {"neurons 2 but the network has 3 hidden neurons"});
  }
  SECTION("a float or garbage number in the certificate") {
    json cert = bent_certificate();
    cert["regions"][5]["witness"][1] = 0.5;
    require_rejected(cert, {"regions[5].witness[1]: not an integer or fraction"});
    cert = bent_certificate();
    cert["regions"][5]["witness"][1] = "half";
    require_rejected(cert, {"regions[5].witness[1]"});
    cert = two_points_on_a_line();
    cert["farkas"][0]["multipliers"][1] = 1.0;
    require_rejected(cert, {"farkas[0].multipliers[1]"});
  }
  SECTION("garbage in the network") {
    json cert = bent_certificate();
    cert["network"]["layers"][1]["weight"][0][0] = "one";
    require_rejected(cert, {"network.layers[1].weight[0][0]: not a number"});
  }
  SECTION("a changed weight makes the certificate wrong") {
    json cert = bent_certificate();
    cert["network"]["layers"][1]["bias"][0] = 1;  // z = relu(x) + relu(y) + 1 > 0 everywhere
    require_rejected(cert, {"regions["});
  }
  SECTION("bad top-level fields") {
    json cert = bent_certificate();
    cert.erase("box");
    require_rejected(cert, {"missing key 'box'"});
    cert = bent_certificate();
    cert["box"] = {"1", "1"};
    require_rejected(cert, {"box: lo = 1 is not below hi = 1"});
    cert = bent_certificate();
    cert["regions"] = json::array();
    cert["region_count"] = 0;
    require_rejected(cert, {"regions: empty"});
  }
}
