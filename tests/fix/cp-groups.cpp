/*
 * cp-groups.cpp -- the repeating groups of FIX 4.4 and FIX 4.2 that
 * fixcp and its test exchange (see cp-groups.h).  Each group lists its
 * fields in the order of its version's specification, the delimiter
 * first, as QuickFIX's generated classes (quickfix/fix44/, fix42/) have
 * them; that order is the one a resent message is written in.
 */
#include "cp-groups.h"

#include <memory>
#include <vector>

#include "quickfix/DataDictionary.h"

/* The Instrument component, as a group of instruments repeats it. */
#define INSTRUMENT 55, 65, 48, 22, 460, 461, 167, 762, 200, 541, 201, \
	224, 225, 239, 226, 227, 228, 255, 543, 470, 471, 472, 240, 202, \
	947, 206, 231, 223, 207, 106, 348, 349, 107, 350, 351, 691, 667, \
	875, 876, 873, 874, 711, 555

/* The MDEntry fields after the instrument. */
#define MDENTRY 270, 15, 271, 272, 273, 274, 275, 336, 625, 276, 277, \
	282, 283, 284, 286, 59, 432, 126, 110, 18, 287, 37, 299, 288, 289, \
	346, 290, 546, 811

/* FIX 4.2's instrument fields in a group (MaturityDay 205 is its own). */
#define INSTRUMENT42 55, 65, 48, 22, 167, 200, 205, 201, 202, 206, 231, \
	223, 207, 106, 348, 349, 107, 350, 351

/* FIX 4.2's MDEntry fields after the instrument. */
#define MDENTRY42 270, 15, 271, 272, 273, 274, 275, 336, 276, 277, 282, \
	283, 284, 286, 59, 432, 126, 110, 18, 287, 37, 299, 288, 289, 346, 290

struct group {
	const char		*types;	/* message types, by spaces */
	int			 count;	/* the NumInGroup tag */
	std::vector<int>	 fields;	/* the delimiter first */
};

static const struct group groups44[] = {
	{ "A", 384, { 372, 385 } },
	{ "D F G H AF q 8", 453, { 448, 447, 452, 802 } },
	{ "D G", 386, { 336, 625 } },
	{ "D G", 78, { 79, 661, 736, 467, 539, 80 } },
	{ "V", 146, { INSTRUMENT } },
	{ "V", 267, { 269 } },
	{ "W", 268, { 269, MDENTRY, 451, 58, 354, 355 } },
	{ "X", 268, { 279, 285, 269, 278, 280, INSTRUMENT, 291, 292,
	    MDENTRY, 451, 58, 354, 355 } },
	{ "r", 534, { 41, 535, 536 } },
};

/* No parties, mass cancel or mass status in FIX 4.2. */
static const struct group groups42[] = {
	{ "A", 384, { 372, 385 } },
	{ "D G", 386, { 336 } },
	{ "D G", 78, { 79, 80 } },
	{ "V", 146, { INSTRUMENT42, 336 } },
	{ "V", 267, { 269 } },
	{ "W", 268, { 269, MDENTRY42, 58, 354, 355 } },
	{ "X", 268, { 279, 285, 269, 278, 280, INSTRUMENT42, 291, 292,
	    MDENTRY42, 387, 58, 354, 355 } },
};

static void
add(FIX::DataDictionary &dd, const struct group &g)
{
	FIX::DataDictionary	 members;
	std::string		 types = g.types, type;
	size_t			 at = 0, sp;

	for (int tag : g.fields)
		members.addField(tag);
	do {
		sp = types.find(' ', at);
		type = types.substr(at, sp == std::string::npos ?
		    std::string::npos : sp - at);
		dd.addGroup(type, g.count, g.fields[0], members);
		at = sp + 1;
	} while (sp != std::string::npos);
}

FIX::DataDictionaryProvider
fix_groups(const std::string &begin)
{
	FIX::DataDictionaryProvider		 provider;
	std::shared_ptr<FIX::DataDictionary> dd(new FIX::DataDictionary);

	if (begin == "FIX.4.2")
		for (const struct group &g : groups42)
			add(*dd, g);
	else
		for (const struct group &g : groups44)
			add(*dd, g);
	provider.addTransportDataDictionary(FIX::BeginString(begin), dd);
	return provider;
}
