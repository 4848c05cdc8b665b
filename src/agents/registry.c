/* The one table of builtin agents, in pipeline order. Adding an agent means adding it here. */
#include "agents/agent.h"

#include <string.h>

extern const reel_agent reel_agent_ingest, reel_agent_shots, reel_agent_dialogue, reel_agent_proxy,
    reel_agent_contact, reel_agent_color, reel_agent_render, reel_agent_qc;

const reel_agent *const reel_builtin_agents[] = {
    &reel_agent_ingest,
    &reel_agent_shots,
    &reel_agent_dialogue,
    &reel_agent_color,
    &reel_agent_proxy,
    &reel_agent_contact,
    &reel_agent_render,
    &reel_agent_qc,
    NULL,
};

const reel_agent *reel_agent_find(const reel_agent *const *table, const char *name)
{
    for (int i = 0; table[i]; i++)
        if (!strcmp(table[i]->name, name)) return table[i];
    return NULL;
}
