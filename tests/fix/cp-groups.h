/*
 * cp-groups.h -- the repeating groups of FIX 4.4 and FIX 4.2 that fixcp
 * and its test exchange (tests/fix).
 *
 * Debian's QuickFIX ships no data dictionary file, and without one
 * QuickFIX cannot tell a repeating group from a tag repeated by mistake:
 * a MarketDataRequest asking for bids, offers and trades (three 269s) is
 * refused with "Tag appears more than once", and a stored refresh it
 * resends comes out with its entries scrambled.  This dictionary, built
 * in code, names only the groups; it carries no version, so QuickFIX
 * checks no field, value or message type against it (the session
 * application does that by hand).
 */
#ifndef CP_GROUPS_H
#define CP_GROUPS_H

#include <string>

#include "quickfix/DataDictionaryProvider.h"

/*
 * The groups of BEGIN ("FIX.4.2", else FIX.4.4's), for
 * Session::setDataDictionaryProvider; the caller keeps it.
 */
FIX::DataDictionaryProvider fix_groups(const std::string &begin);

#endif
